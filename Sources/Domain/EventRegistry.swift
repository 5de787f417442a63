import SwiftProtobuf

/// Every event family Eventloom defines, registered once. The schema lookup, the relay's
/// binary payload and the projections' subscriptions all read from here; a new aggregate
/// adds its folder under `Domain` and one line to ``families``.
public enum EventRegistry {
    /// The registered families, in no particular order.
    public static let families: [any EventFamily.Type] = [
        LockEvent.self,
        KeyEvent.self,
        BudgetEvent.self,
        ReservationEvent.self,
        PriceListEvent.self,
        SessionEvent.self,
        ShareViewed.self,
        SubjectEvent.self,
        SealEvent.self,
        DocumentEvent.self,
        SearchIndexEvent.self,
        IngestionTaskEvent.self,
        ChannelEvent.self,
        RateLimitsEvent.self,
    ]

    /// Every registered type, by name.
    public static let types: [String: EventType] = index(families)

    /// The names of every registered type.
    public static var typeNames: Set<String> { Set(types.keys) }

    /// The message type for event `type`; nil for a type no family defines.
    public static func messageType(for type: String) -> (any SwiftProtobuf.Message.Type)? {
        types[type]?.message
    }

    /// The personal fields of event `type` (``PersonalFields/none`` for a type no family defines).
    public static func personalFields(of type: String) -> PersonalFields {
        types[type]?.personalFields ?? .none
    }

    /// The binary protobuf of the event stored as proto3 JSON `json`.
    /// - Returns: nil when no family defines `type`.
    /// - Throws: ``EventCodingError/invalidPayload(type:reason:)`` when `json` does not fit the schema.
    public static func binary(type: String, json: String) throws -> [UInt8]? {
        guard let messageType = messageType(for: type) else { return nil }
        do {
            let message = try messageType.init(jsonString: json)
            return try message.serializedBytes()
        } catch {
            throw EventCodingError.invalidPayload(type: type, reason: "\(error)")
        }
    }

    /// The names among `names` that no registered family defines, sorted.
    public static func unknown(in names: some Sequence<String>) -> [String] {
        names.filter { types[$0] == nil }.sorted()
    }

    /// Type names declared by more than one of `families`, sorted.
    public static func duplicates(in families: [any EventFamily.Type]) -> [String] {
        var seen: [String: Int] = [:]
        for family in families { for type in family.anyKinds { seen[type.name, default: 0] += 1 } }
        return seen.filter { $0.value > 1 }.keys.sorted()
    }

    /// Types whose message is not the schema named like the type (`eventloom.v1.<Type>`), sorted.
    public static func misnamedSchemas(in families: [any EventFamily.Type]) -> [String] {
        var misnamed: [String] = []
        for family in families {
            for type in family.anyKinds where type.message.protoMessageName != "eventloom.v1.\(type.name)" {
                misnamed.append(type.name)
            }
        }
        return misnamed.sorted()
    }

    /// Personal fields of `families` that are not strings of their type's schema (a path
    /// that names no field, or a field of another type), as `Type.path`, sorted.
    public static func personalFieldsNotStrings(in families: [any EventFamily.Type]) -> [String] {
        var wrong: [String] = []
        for family in families {
            for type in family.anyKinds {
                for path in type.personalFields.paths where !Self.isString(path, in: type.message) {
                    wrong.append("\(type.name).\(path)")
                }
            }
        }
        return wrong.sorted()
    }

    /// Whether `path` names a string (or strings) of `message`: a JSON holding a string
    /// there, and nothing else, parses (unknown fields and other types do not).
    private static func isString(_ path: String, in message: any SwiftProtobuf.Message.Type) -> Bool {
        func probe(_ components: ArraySlice<Substring>) -> String {
            guard let first = components.first else { return "\"x\"" }
            let repeated = first.hasSuffix("[]")
            let name = repeated ? first.dropLast(2) : first
            let inner = probe(components.dropFirst())
            return "{\"\(name)\":" + (repeated ? "[\(inner)]" : inner) + "}"
        }
        let components = path.split(separator: ".")
        guard !components.isEmpty, !components.contains(where: { $0.isEmpty || $0 == "[]" }) else { return false }
        return (try? message.init(jsonString: probe(components[...]))) != nil
    }

    static func index(_ families: [any EventFamily.Type]) -> [String: EventType] {
        var types: [String: EventType] = [:]
        for family in families { for type in family.anyKinds { types[type.name] = type } }
        return types
    }
}
