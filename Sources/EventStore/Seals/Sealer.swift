import Domain
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Seals the log (docs/seals.md): follows it in cursor order, adds each event's hash to
/// a Merkle tree, and every `every` events or `interval` (whichever comes first, once an
/// event other than a seal is waiting) signs the tree's head and records it as a
/// `LogSealed` event of the system tenant, which the relay publishes like any other.
/// One sealer writes at a time (a leader lock); another one stands by.
public struct Sealer: Service {
    let store: EventStore
    let key: SealSigningKey
    let every: Int
    let interval: Duration
    let clock: WallClock
    let leaderLock: LeaderLock
    let logger: Logger
    /// The seal stream's state, so that recording a seal reads only the seals after it.
    private let states = StateCache<SealState>(capacity: 1)

    /// The lock's object id (the relay holds 1, log writers 2).
    public static let lockObjectID: Int32 = 3

    public init(store: EventStore, key: SealSigningKey, every: Int = 1_000, interval: Duration = .seconds(10),
                clock: WallClock = .system, lockConnection: PostgresConnection.Configuration, logger: Logger) {
        self.store = store
        self.key = key
        self.every = max(1, every)
        self.interval = interval
        self.clock = clock
        self.leaderLock = LeaderLock(role: "sealer", objectID: Self.lockObjectID, configuration: lockConnection, logger: logger)
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await leaderLock.leadUntilCancelled(maximumBackoff: .seconds(5)) { try await lead() }
        }
    }

    /// Seals while leading, until cancelled.
    func lead() async throws {
        var tree = try await resume()
        logger.info("sealer leading", metadata: ["sealed_events": "\(tree.frontier.size)", "seals": "\(tree.sequence)"])
        var seen = store.wakeups.generation
        while !Task.isCancelled {
            // No more than the seal still needs: a seal every `every` events, also while catching up.
            let limit = max(1, min(5_000, every - tree.leaves.count))
            let read = try await store.readLog(after: tree.cursor, limit: limit)
            for event in read { tree.add(event) }
            if tree.isDue(every: every, interval: interval) { try await seal(&tree) }
            guard read.count < limit else { continue }
            let wait = tree.waitingSince.map { max(.milliseconds(10), interval - $0.duration(to: .now)) } ?? interval
            seen = await store.wakeups.wait(after: seen, timeout: min(wait, .seconds(1)))
        }
    }

    /// Where the last stored seal left the tree; its event recorded if it was not yet.
    private func resume() async throws -> PendingTree {
        guard let last = try await store.lastStoredSeal() else {
            try await store.dropUnsealed(beyond: 0)
            return PendingTree(sequence: 0, frontier: MerkleFrontier(), cursor: .start)
        }
        try await store.dropUnsealed(beyond: last.record.treeSize)
        try await record(last.record)
        return PendingTree(sequence: last.record.sequence, frontier: last.frontier, cursor: last.through)
    }

    private func seal(_ tree: inout PendingTree) async throws {
        let sequence = tree.sequence + 1
        let root = Hex.encode(tree.frontier.root)
        let through = tree.cursor.description
        let signature = try key.sign(SealRecord.signedText(sequence: sequence, treeSize: tree.frontier.size, rootHash: root,
                                                           through: through))
        let verifying = key.verifyingKey
        let record = SealRecord(sequence: sequence, treeSize: tree.frontier.size, rootHash: root, through: through,
                                sealedAt: clock.now(), keyID: verifying.id, publicKey: verifying.hex, signature: signature)
        try await store.storeSeal(StoredSeal(record: record, through: tree.cursor, frontier: tree.frontier),
                                  leaves: tree.leaves, nodes: tree.nodes)
        try await self.record(record)
        tree.sealed(as: sequence)
        logger.debug("sealed", metadata: ["seal": "\(sequence)", "events": "\(record.treeSize)"])
    }

    /// Appends `record`'s `LogSealed` unless the seal stream has it already.
    private func record(_ record: SealRecord) async throws {
        let recorded = try await store.state(of: LogSeal.self, tenant: StoredSeal.tenant, stream: LogSeal.stream,
                                             from: states.state(tenant: StoredSeal.tenant, stream: LogSeal.stream))
        states.keep(recorded, tenant: StoredSeal.tenant, stream: LogSeal.stream)
        guard recorded.state.sequence < record.sequence else { return }
        _ = try await CommandHandler(store: store, decider: LogSeal.self, cache: states).handle(
            .record(record), tenant: StoredSeal.tenant, stream: LogSeal.stream, metadata: EventMetadata(actor: "eventloom:sealer"))
    }
}

/// The tree as the sealer builds it: the leaves and nodes added since the last seal.
struct PendingTree {
    var sequence: Int64
    var frontier: MerkleFrontier
    var cursor: Cursor
    var leaves: [(index: Int64, eventID: UUID, hash: [UInt8])] = []
    var nodes: [(level: Int, index: Int64, hash: Merkle.Hash)] = []
    /// When the first event other than a seal arrived since the last seal.
    var waitingSince: ContinuousClock.Instant?

    init(sequence: Int64, frontier: MerkleFrontier, cursor: Cursor) {
        self.sequence = sequence
        self.frontier = frontier
        self.cursor = cursor
    }

    mutating func add(_ event: RecordedEvent) {
        leaves.append((frontier.size, event.id, event.hash))
        nodes += frontier.append(leaf: Merkle.leaf(event.hash)).filter { $0.level > 0 }
        cursor = event.cursor
        let isSeal = event.tenant == StoredSeal.tenant && event.stream == LogSeal.stream
        if !isSeal, waitingSince == nil { waitingSince = .now }
    }

    func isDue(every: Int, interval: Duration) -> Bool {
        guard let waitingSince else { return false }
        return leaves.count >= every || waitingSince.duration(to: .now) >= interval
    }

    mutating func sealed(as sequence: Int64) {
        self.sequence = sequence
        leaves = []
        nodes = []
        waitingSince = nil
    }
}
