import EventStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// One follower of the log for every live (SSE) client of this process: it reads each new
/// batch once and hands it to the subscribers that want it, instead of one database
/// subscription per client.
final class LiveLog: Service, Sendable {
    private let store: EventStore
    private let logger: Logger
    private let subscribers = Mutex<[ObjectIdentifier: LiveSubscriber]>([:])
    /// The cursor the follower has delivered up to.
    private let delivered = Mutex<Cursor?>(nil)
    /// How many events a client may fall behind before it is cut off.
    let capacity: Int
    /// Silence longer than this gets a keep-alive.
    let heartbeatInterval: Duration

    init(store: EventStore, capacity: Int = 10_000, heartbeatInterval: Duration = .seconds(15), logger: Logger) {
        self.store = store
        self.capacity = capacity
        self.heartbeatInterval = heartbeatInterval
        self.logger = logger
    }

    func run() async throws {
        let start = try await startingCursor()
        delivered.withLock { $0 = start }
        try await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.follow(after: start) }
                group.addTask { await self.sendHeartbeats() }
                defer { group.cancelAll() }
                try await group.next()
            }
        }
        for subscriber in subscribers.withLock({ Array($0.values) }) { subscriber.close() }
    }

    /// Reads each new batch once, renders it once, and offers it to every subscriber; at
    /// most one batch per ``deliveryInterval``, so that a busy log wakes each client about
    /// a hundred times a second rather than once per commit.
    private func follow(after start: Cursor) async throws {
        var events = store.subscribe(after: start, batchSize: Self.batchSize).makeAsyncIterator()
        while let batch = try await events.nextBatch() {
            let offered = ContinuousClock.now
            let rendered = LiveBatch(try await store.revealPersonalData(batch))
            // Delivered moves with the list it is offered to: a client registered later
            // reads the batch itself (``subscribe(filter:streams:onOverflow:)``).
            let receivers = subscribers.withLock { subscribers in
                delivered.withLock { $0 = batch.last!.cursor }
                return Array(subscribers.values)
            }
            for subscriber in receivers where !subscriber.offer(rendered) {
                unsubscribe(subscriber)
            }
            // A full batch means more is waiting: no pause then.
            if batch.count < Self.batchSize {
                try? await Task.sleep(until: offered + Self.deliveryInterval, clock: .continuous)
            }
        }
    }

    /// The shortest time between two batches offered to the clients, unless full.
    static let deliveryInterval: Duration = .milliseconds(10)
    static let batchSize = 1_000

    /// One timer for every client: a keep-alive to each that has been silent for the interval.
    private func sendHeartbeats() async {
        let tick = Swift.min(heartbeatInterval / 4, .seconds(1))
        while !Task.isCancelled {
            try? await Task.sleep(for: tick)
            let now = ContinuousClock.now
            for subscriber in subscribers.withLock({ Array($0.values) }) {
                subscriber.heartbeatIfSilent(for: heartbeatInterval, now: now)
            }
        }
    }

    /// Registers a live client. Events it will receive are those after `delivered`, the
    /// cursor this follower had delivered up to then (nil before it started); what came
    /// before, the client reads from the log itself.
    func subscribe(filter: LogFilter, streams: LiveStreams?, onOverflow: @escaping @Sendable () -> Void)
        -> (subscriber: LiveSubscriber, delivered: Cursor?)
    {
        let subscriber = LiveSubscriber(filter: filter, streams: streams, capacity: capacity, onOverflow: onOverflow)
        let delivered = subscribers.withLock { subscribers in
            subscribers[ObjectIdentifier(subscriber)] = subscriber
            return self.delivered.withLock { $0 }
        }
        return (subscriber, delivered)
    }

    func unsubscribe(_ subscriber: LiveSubscriber) {
        _ = subscribers.withLock { $0.removeValue(forKey: ObjectIdentifier(subscriber)) }
        subscriber.close()
    }

    /// Where a client that asks for "from now on" starts: what this follower has delivered.
    var now: Cursor? { delivered.withLock { $0 } }

    /// ``now`` once the follower knows where it starts, waiting up to `timeout`; nil if it
    /// does not by then (the database is unavailable).
    func started(within timeout: Duration) async -> Cursor? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let now { return now }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return now
    }

    var clientCount: Int { subscribers.withLock { $0.count } }

    /// The newest readable event: live clients start after it.
    private func startingCursor() async throws -> Cursor {
        var backoff = Backoff()
        while true {
            do {
                return try await store.readableHead()
            } catch {
                let delay = backoff.next(after: error)
                logger.warning("live log: cannot read the log's head; retrying",
                               metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
    }
}
