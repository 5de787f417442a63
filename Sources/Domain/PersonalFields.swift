/// The fields of an event that hold personal data of its data subject (docs/erasure.md).
///
/// Each is a path into the event's proto3 JSON (field names as that mapping writes them):
/// `content` (a string), `tags[]` (each string of an array), `citations[].quote` (a string
/// in each object of an array), `config.systemPrompt` (a string in a nested object). Only
/// strings can be personal: they are stored encrypted, and erased, as strings.
public struct PersonalFields: Sendable, Hashable, ExpressibleByArrayLiteral {
    /// The paths, in the order declared.
    public let paths: [String]

    public init(_ paths: [String]) {
        self.paths = paths
    }

    public init(arrayLiteral paths: String...) {
        self.init(paths)
    }

    /// No personal data.
    public static let none = PersonalFields([])

    public var isEmpty: Bool { paths.isEmpty }
}

/// An aggregate whose events may hold personal data: it names the data subject (a user
/// or end customer of the tenant) whose key encrypts them. Pure, like the decider.
public protocol DataSubjectNaming: Decider {
    /// The data subject of `event`, decided on `state` (the stream's state before it);
    /// nil when it belongs to none (its personal fields, if any, are then stored in clear).
    static func dataSubject(of event: Event, in state: State) -> String?
}
