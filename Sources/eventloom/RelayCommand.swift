import ArgumentParser
import EventStore
import Logging
import PostgresNIO
import ServiceLifecycle

struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Publish every committed event to NATS JetStream (stream EVENTLOOM), in log order.",
        discussion: """
            Subjects are eventloom.<tenant>.<category>.<type>; the payload is the binary \
            eventloom.v1.EventEnvelope (schemas/). One relay publishes at a time: another one \
            started against the same database waits and takes over within a second or two of \
            the first one's end. While NATS is down, appends go on and the relay catches up when \
            it returns. It logs its lag every --lag-interval seconds.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var nats: NATSOptions

    @Option(help: "Publishes awaiting their JetStream ack at once (1-65536).")
    var maxInFlight = 2048

    @Option(help: "Seconds between two lag log lines (1-3600).")
    var lagInterval = 10

    func validate() throws {
        guard (1...65_536).contains(maxInFlight) else { throw ValidationError("--max-in-flight must be 1-65536") }
        guard (1...3600).contains(lagInterval) else { throw ValidationError("--lag-interval must be 1-3600") }
    }

    func run() async throws {
        let logger = try options.logger("eventloom.relay")
        var configuration = RelayConfiguration(nats: nats.connectionOptions(name: "eventloom-relay"))
        configuration.maxInFlight = maxInFlight
        configuration.lagInterval = .seconds(lagInterval)
        let lockConnection = try options.connectionConfiguration()
        try await runServices(options, logger: logger) { store in
            [Relay(store: store, configuration: configuration, lockConnection: lockConnection, logger: logger)]
        }
    }
}
