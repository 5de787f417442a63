import SwiftProtobuf

/// The events of one aggregate: an enum (or a single event) whose ``Kind`` lists every type
/// it writes. Registering the family once in ``EventRegistry`` makes its types known to the
/// schema lookup, the relay and the projections.
public protocol EventFamily: RecordableEvent {
    associatedtype Kind: EventKind
    /// The kind of this event.
    var kind: Kind { get }
}

extension EventFamily {
    public var type: String { kind.rawValue }
    public var schemaVersion: Int { kind.schemaVersion }

    /// The names of every type of this family.
    public static var typeNames: Set<String> { Set(Kind.allCases.map(\.rawValue)) }

    /// The kinds of this family, type-erased for the registry.
    static var anyKinds: [EventType] {
        Kind.allCases.map { EventType(name: $0.rawValue, message: $0.message, personalFields: $0.personalFields) }
    }
}

/// One registered event type: its name, its protobuf message and its personal fields.
public struct EventType: Sendable {
    public let name: String
    public let message: any SwiftProtobuf.Message.Type
    public let personalFields: PersonalFields
}
