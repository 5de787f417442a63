/// What ``EventStore/verifySeals(with:)`` found.
public struct SealReport: Sendable {
    /// Seals checked, and events covered by the last one.
    public internal(set) var seals = 0
    public internal(set) var sealedEvents: Int64 = 0
    /// The first failure, naming the seal and, where it can, the event; nil when every
    /// seal holds.
    public internal(set) var failure: String?

    public var isIntact: Bool { failure == nil }
}
