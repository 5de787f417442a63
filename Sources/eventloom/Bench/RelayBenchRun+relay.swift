import EventStore
import Foundation
import Logging
import NATS
import PostgresNIO

extension RelayBenchRun {
    /// Runs a relay on the loaded log until JetStream acknowledged its last event, then
    /// measures append → subscriber latency with the relay caught up.
    func relayRate(rate: Int, seconds: Int) async throws -> RelayResult {
        var settings = RelayConfiguration(nats: nats.connectionOptions(name: "eventloom-bench-relay"))
        settings.streamName = "BENCH_\(suffix.uppercased())"
        settings.subjectPrefix = "bench\(suffix)"
        settings.maxInFlight = maxInFlight
        settings.lagInterval = .seconds(3600)
        let configuration = settings
        let lockConnection = try DatabaseURL.connectionConfiguration(scratch.libpqURL)
        do {
            let result = try await scratch.withClient { client in
                let store = EventStore(client: client, logger: logger)
                let relay = Relay(store: store, configuration: configuration, lockConnection: lockConnection, logger: logger)
                return try await measure(relay, on: store, configuration: configuration, rate: rate, seconds: seconds)
            }
            try? await jetStream.deleteStream(configuration.streamName)
            return result
        } catch {
            try? await jetStream.deleteStream(configuration.streamName)
            throw error
        }
    }

    private func measure(_ relay: Relay, on store: EventStore, configuration: RelayConfiguration,
                         rate: Int, seconds: Int) async throws -> RelayResult {
        let (count, head) = try await Self.countAndHead(store.client)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.notifier.run() }
            group.addTask { await store.listener.run() }
            let start = ContinuousClock.now
            group.addTask { try await relay.run() }
            defer { group.cancelAll() }
            while relay.status.snapshot.published.map({ $0 < head }) ?? true {
                try await Task.sleep(for: .milliseconds(2))
            }
            let eventsPerSecond = Double(count) / start.duration(to: .now).seconds
            let latency = try await LatencyRun(store: store, jetStream: jetStream, stream: configuration.streamName,
                                               subjectPrefix: configuration.subjectPrefix, rate: rate, seconds: seconds).run()
            return RelayResult(eventsPerSecond: eventsPerSecond, latency: latency)
        }
    }

    private static func countAndHead(_ client: PostgresClient) async throws -> (Int, Cursor) {
        let rows = try await client.query("""
            SELECT (SELECT count(*) FROM events), e.tx_id::text AS tx_text, e.global_position FROM events e
             ORDER BY e.tx_id DESC, e.global_position DESC LIMIT 1
            """).collect()
        let (count, tx, position) = try rows[0].decode((Int64, String, Int64).self)
        return (Int(count), Cursor(transaction: UInt64(tx)!, position: position))
    }
}
