import ArgumentParser
import EventStore
import Foundation
import Logging
import NATS

struct BenchRelay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Relay throughput against raw JetStream publishing, and append → subscriber latency.",
        discussion: """
            Loads --events events into a scratch database (dropped afterwards), then measures in \
            the same run: (1) the limit, raw asynchronous JetStream publishing of the very messages \
            the relay sends (pre-built, same in-flight bound, same expected-sequence checks); \
            (2) the relay, from its start until JetStream acknowledged the last event; (3) with the \
            relay caught up, append → durable pull consumer latency at a steady --rate for \
            --seconds. Streams get scratch names and are deleted afterwards.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var nats: NATSOptions

    @Option(help: "Events loaded and relayed (1000-10000000).")
    var events = 100_000

    @Option(help: "Publishes awaiting their ack at once, for both the relay and the limit (1-65536).")
    var maxInFlight = 2048

    @Option(help: "Appends per second during the latency run (1-20000).")
    var rate = 1000

    @Option(help: "Seconds of the latency run, after one second of warm-up (1-600).")
    var seconds = 10

    func validate() throws {
        guard (1000...10_000_000).contains(events) else { throw ValidationError("--events must be 1000-10000000") }
        guard (1...65_536).contains(maxInFlight) else { throw ValidationError("--max-in-flight must be 1-65536") }
        guard (1...20_000).contains(rate) else { throw ValidationError("--rate must be 1-20000") }
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds must be 1-600") }
    }

    func run() async throws {
        let logger = try options.logger("eventloom.bench")
        let scratch = try await ScratchDatabase.create(options, logger: logger)
        print("bench relay: \(events) events, \(maxInFlight) in flight, database \(scratch.name), NATS \(nats.resolvedURL)")
        do {
            try await measure(scratch, logger: logger)
        } catch {
            try? await scratch.drop()
            throw error
        }
        try await scratch.drop()
    }

    private func measure(_ scratch: ScratchDatabase, logger: Logger) async throws {
        let load = AppendLoad(writers: 4, events: events, batch: 500)
        _ = try await load.run(on: scratch, logger: logger)
        // Statistics as autovacuum would have them on a log this size.
        try await scratch.withClient { client in _ = try await client.query("ANALYZE events", logger: logger) }
        let connection: NATSConnection
        do {
            connection = try await NATSConnection.connect(nats.connectionOptions(name: "eventloom-bench"), logger: logger)
        } catch {
            throw CommandFailure("cannot reach NATS at \(nats.resolvedURL): \(error) (scripts/services start runs one)")
        }
        defer { connection.close() }
        let jetStream = try JetStream(connection: connection, maxInFlight: maxInFlight)
        let run = RelayBenchRun(scratch: scratch, jetStream: jetStream, options: options, nats: nats,
                                maxInFlight: maxInFlight, logger: logger)
        let limit = try await run.rawPublishRate()
        print(String(format: "limit:     %.0f messages/s raw asynchronous JetStream publish (%d messages)", limit, load.totalEvents))
        let relay = try await run.relayRate(rate: rate, seconds: seconds)
        print(String(format: "eventloom: %.0f events/s relayed, log → JetStream ack (%d events)", relay.eventsPerSecond, load.totalEvents))
        print(String(format: "ratio:     %.2f× raw publish (goal ≥ 0.8×)", relay.eventsPerSecond / limit))
        print(String(format: "latency:   append → subscriber at %d events/s for %d s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d events; goal p99 ≤ 20 ms)",
                     rate, seconds, relay.latency.percentile(0.5), relay.latency.percentile(0.99),
                     relay.latency.latencies.last ?? 0, relay.latency.latencies.count))
    }
}
