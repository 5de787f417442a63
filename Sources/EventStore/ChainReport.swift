/// What ``EventStore/verify(tenant:progress:)`` found.
public struct ChainReport: Sendable {
    /// The first event of a stream whose stored hash or version does not match.
    public struct Break: Sendable, Hashable, CustomStringConvertible {
        public let tenant: String
        public let stream: String
        public let streamVersion: Int64
        public let cursor: Cursor?
        public let reason: String

        public var description: String {
            "tenant \(tenant) stream \(stream) version \(streamVersion)"
                + (cursor.map { " position \($0)" } ?? "") + ": \(reason)"
        }
    }

    public internal(set) var streams = 0
    public internal(set) var events = 0
    /// At most one per stream: the first broken link.
    public internal(set) var breaks: [Break] = []

    public var isIntact: Bool { breaks.isEmpty }
}
