import Logging

/// The log after a cursor, then every event as it commits: catch-up, then live.
///
/// Iterating yields each selected event exactly once, in cursor order. It re-reads the
/// log when woken by a notification and at least every `pollInterval` (the safety net
/// for commits nobody notified); after a wake-up, reads that find nothing yet are followed
/// by re-reads 5 ms, 10 ms, 20 ms, then every 40 ms, for `pollInterval`, even after a
/// read that found events (another notified commit may still be behind the horizon). It ends (`nil`) when its task is cancelled; it retries with
/// backoff while the database is unavailable, and throws any other failure.
public struct LogSubscription: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent

    let store: EventStore
    let start: Cursor
    let filter: LogFilter
    let batchSize: Int
    let pollInterval: Duration

    public func makeAsyncIterator() -> Iterator {
        Iterator(subscription: self)
    }

    public struct Iterator: AsyncIteratorProtocol {
        private let subscription: LogSubscription
        private var cursor: Cursor
        private var buffer: [RecordedEvent] = []
        private var index = 0
        /// The count of wake-ups this iterator has seen (``Wakeups/generation``).
        private var seenWakeups: UInt64
        private var backoff = Backoff(maximum: Backoff.reconnectInterval)
        /// Set after a wake-up whose read found nothing: the commit that caused it may still
        /// be behind the horizon (an older log writer is still running),
        /// so re-read soon, doubling the delay up to the poll interval.
        private var chaseDelay: Duration?
        /// When to give up re-reading after a wake-up (the periodic read takes over).
        private var chaseUntil: ContinuousClock.Instant?

        init(subscription: LogSubscription) {
            self.subscription = subscription
            self.cursor = subscription.start
            self.seenWakeups = subscription.store.wakeups.generation
        }

        public mutating func next() async throws -> RecordedEvent? {
            while index == buffer.count {
                if Task.isCancelled { return nil }
                guard try await refill() else { return nil }
            }
            defer { index += 1 }
            cursor = buffer[index].cursor
            return buffer[index]
        }

        /// The rest of the batch at hand, or the next non-empty one once there is one (as
        /// `next()` would yield them one by one); nil when the task is cancelled.
        public mutating func nextBatch() async throws -> [RecordedEvent]? {
            while index == buffer.count {
                if Task.isCancelled { return nil }
                guard try await refill() else { return nil }
            }
            let rest = index == 0 ? buffer : Array(buffer[index...])
            index = buffer.count
            cursor = buffer[index - 1].cursor
            return rest
        }

        /// Reads the next batch, waiting for a wake-up while there is none. False when cancelled.
        private mutating func refill() async throws -> Bool {
            do {
                buffer = try await subscription.store.readLog(
                    after: cursor, filter: subscription.filter, limit: subscription.batchSize)
                index = 0
                backoff.reset()
            } catch let error as EventStoreError where error.code == .unavailable {
                if Task.isCancelled { return false }
                let delay = backoff.next()
                subscription.store.logger.warning("subscription cannot read the log; retrying",
                    metadata: ["cursor": "\(cursor)", "retry_in": "\(delay)"])
                try? await Task.sleep(for: delay)
                return !Task.isCancelled
            } catch {
                if Task.isCancelled { return false }
                throw error
            }
            guard buffer.isEmpty else {
                // A commit already notified may still be behind the horizon: keep chasing
                // (until the wake-up's window ends) rather than wait for a notification
                // that has already been spent.
                if chaseDelay != nil { chaseDelay = .milliseconds(5) }
                return true
            }
            if let delay = chaseDelay, let until = chaseUntil, ContinuousClock.now < until {
                try? await Task.sleep(for: delay)
                // Capped so that a commit held behind the horizon for a while is still seen
                // within 40 ms of clearing it.
                chaseDelay = Swift.min(delay * 2, .milliseconds(40))
                return !Task.isCancelled
            }
            seenWakeups = await subscription.store.wakeups.wait(after: seenWakeups, timeout: subscription.pollInterval)
            if Task.isCancelled { return false }
            chaseDelay = .milliseconds(5)
            chaseUntil = ContinuousClock.now + subscription.pollInterval
            return true
        }
    }
}

extension EventStore {
    /// The events after `cursor` that `filter` selects, then each new one as it commits.
    /// - Parameters:
    ///   - batchSize: events read per query (1…10,000).
    ///   - pollInterval: the longest wait between two reads while nothing is notified.
    public func subscribe(
        after cursor: Cursor, filter: LogFilter = .all, batchSize: Int = 500,
        pollInterval: Duration = .seconds(1)
    ) -> LogSubscription {
        LogSubscription(store: self, start: cursor, filter: filter,
                        batchSize: min(max(batchSize, 1), Self.maximumReadLimit), pollInterval: pollInterval)
    }
}
