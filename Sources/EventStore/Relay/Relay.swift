import Logging
import NATS
import PostgresNIO
import ServiceLifecycle

/// Publishes every committed event, once and in cursor order, to the JetStream stream
/// `EVENTLOOM` (contract: ../shared/design/nats.md, design: docs/nats.md).
///
/// One relay publishes at a time (``LeaderLock``); others stand by. Each message is
/// published with `Nats-Expected-Last-Sequence` = the previous one's sequence, so the
/// stream can only grow in log order without gaps: after any failure (NATS down, a
/// lost ack, a crash) publishing resumes after the stream's last message, which is the
/// exact record of what was published. The checkpoint follows at a short interval.
public struct Relay: Service {
    let store: EventStore
    let configuration: RelayConfiguration
    let leaderLock: LeaderLock
    public let status = RelayStatus()
    let logger: Logger

    /// - Parameter lockConnection: where to hold the relay's lock (the store's database).
    public init(store: EventStore, configuration: RelayConfiguration,
                lockConnection: PostgresConnection.Configuration, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.leaderLock = LeaderLock(role: "relay", objectID: 1, configuration: lockConnection, logger: logger)
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await leaderLock.leadUntilCancelled(maximumBackoff: configuration.maximumBackoff) { try await self.lead() }
        }
    }

    /// Publishes while this process holds the lock; returns only when cancelled.
    private func lead() async throws {
        status.update { $0.leading = true }
        defer { status.update { $0.leading = false } }
        let nats = try await connectToNATS()
        defer { nats.close() }
        let jetStream = try JetStream(connection: nats, maxInFlight: configuration.maxInFlight)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await reportLag(of: nats) }
            group.addTask { try await publishUntilCancelled(jetStream) }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func connectToNATS() async throws -> NATSConnection {
        var backoff = Backoff(maximum: configuration.maximumBackoff)
        while true {
            do {
                let connection = try await NATSConnection.connect(configuration.nats, logger: logger)
                logger.info("relay: connected to NATS", metadata: ["url": "\(configuration.nats.url)"])
                return connection
            } catch {
                let delay = backoff.next()
                status.update { $0.lastError = "\(error)" }
                if backoff.attempts == 1 || backoff.attempts % 20 == 0 {
                    logger.warning("relay: NATS unreachable; events wait in the log",
                                   metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                }
                try await Task.sleep(for: delay)
            }
        }
    }

    private func publishUntilCancelled(_ jetStream: JetStream) async throws {
        var backoff = Backoff(maximum: configuration.maximumBackoff)
        while true {
            try Task.checkCancellation()
            let before = status.snapshot.publishedCount
            do {
                try await publishSession(jetStream)
            } catch {
                try Task.checkCancellation()
                if status.snapshot.publishedCount > before { backoff.reset() }
                status.update { $0.lastError = "\(error)" }
                let delay = backoff.next(after: error)
                logger.warning("relay: publishing stopped; resuming after the stream's last message",
                               metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                await waitForOutstandingAcks(jetStream)
                try await Task.sleep(for: delay)
            }
        }
    }

    /// Lets the acks of a failed session arrive or time out, so that the next session
    /// sees the stream as it will stay.
    private func waitForOutstandingAcks(_ jetStream: JetStream) async {
        let deadline = ContinuousClock.now + configuration.ackTimeout + .seconds(1)
        while jetStream.outstandingAcks > 0 && ContinuousClock.now < deadline && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
