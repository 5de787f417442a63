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
    ]

    /// Every registered type, by name.
    public static let types: [String: EventType] = index(families)

    /// The names of every registered type.
    public static var typeNames: Set<String> { Set(types.keys) }

    /// The message type for event `type`; nil for a type no family defines.
    public static func messageType(for type: String) -> (any SwiftProtobuf.Message.Type)? {
        types[type]?.message
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

    static func index(_ families: [any EventFamily.Type]) -> [String: EventType] {
        var types: [String: EventType] = [:]
        for family in families { for type in family.anyKinds { types[type.name] = type } }
        return types
    }
}
