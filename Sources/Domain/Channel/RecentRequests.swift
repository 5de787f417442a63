/// The request ids of a channel's latest outcomes, so that an outcome reported twice is
/// recorded once. Bounded: it holds the last `capacity` ids (as 64-bit FNV-1a hashes, the
/// same in every process), forgetting the oldest first.
public struct RecentRequests: Sendable, Equatable {
    /// Ids remembered by default.
    public static let defaultCapacity = 262_144

    /// The most ids it remembers.
    public let capacity: Int
    private var members: Set<UInt64> = []
    private var ring: [UInt64] = []
    private var next = 0

    public init(capacity: Int = Self.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    /// The ids it remembers now.
    public var count: Int { ring.count }

    /// Whether `requestID` is among the ids it remembers.
    public func contains(_ requestID: String) -> Bool {
        members.contains(Self.hash(requestID))
    }

    /// Remembers `requestID`, forgetting the oldest id when full.
    public mutating func insert(_ requestID: String) {
        let hash = Self.hash(requestID)
        guard members.insert(hash).inserted else { return }
        guard ring.count == capacity else {
            ring.append(hash)
            return
        }
        members.remove(ring[next])
        ring[next] = hash
        next = (next + 1) % capacity
    }

    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
