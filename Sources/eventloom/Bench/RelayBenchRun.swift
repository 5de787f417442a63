import Domain
import EventStore
import Foundation
import Logging
import NATS
import PostgresNIO
import Synchronization

/// The three measurements of `bench relay`, on one scratch database and NATS server.
struct RelayBenchRun: Sendable {
    let scratch: ScratchDatabase
    let jetStream: JetStream
    let options: GlobalOptions
    let nats: NATSOptions
    let maxInFlight: Int
    let logger: Logger
    let suffix = UUID().uuidString.prefix(8).lowercased()

    struct RelayResult {
        let eventsPerSecond: Double
        let latency: LoadResult
    }

    /// Publishes the relay's messages for the whole log, pre-built, as fast as acks allow.
    func rawPublishRate() async throws -> Double {
        let prefix = "benchraw\(suffix)"
        let messages = try await scratch.withClient { client in
            try await Self.messages(EventStore(client: client, logger: logger), prefix: prefix)
        }
        let stream = "BENCH_RAW_\(suffix.uppercased())"
        try await jetStream.createOrUpdateStream(StreamConfiguration(name: stream, subjects: ["\(prefix).>"]))
        do {
            let rate = try await publishAll(messages)
            try? await jetStream.deleteStream(stream)
            return rate
        } catch {
            try? await jetStream.deleteStream(stream)
            throw error
        }
    }

    private func publishAll(_ messages: [(id: String, message: OutgoingMessage)]) async throws -> Double {
        let start = ContinuousClock.now
        let (acks, continuation) = AsyncStream.makeStream(of: PendingAck.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await ack in acks { _ = try await ack.value() }
            }
            for (index, message) in messages.enumerated() {
                continuation.yield(try await jetStream.publish(message.message, options: PublishOptions(
                    messageID: message.id, expectedLastSequence: UInt64(index))))
            }
            continuation.finish()
            try await group.waitForAll()
        }
        return Double(messages.count) / start.duration(to: .now).seconds
    }

    private static func messages(_ store: EventStore, prefix: String) async throws -> [(id: String, message: OutgoingMessage)] {
        var messages: [(String, OutgoingMessage)] = []
        var cursor = Cursor.start
        while true {
            let batch = try await store.readLog(after: cursor, limit: EventStore.maximumReadLimit)
            guard let last = batch.last else { return messages }
            for event in batch {
                var fallback: EventCodingError?
                messages.append((event.id.uuidString.lowercased(),
                                 try event.natsMessage(subjectPrefix: prefix, dataFallback: &fallback)))
            }
            cursor = last.cursor
        }
    }
}
