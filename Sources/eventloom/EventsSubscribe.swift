import ArgumentParser
import EventStore
import Foundation
import Logging
import NATS
import Schemas
import ServiceLifecycle

extension Events {
    struct Subscribe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow the events the relay published to NATS, with a durable consumer, as JSON lines.",
            discussion: """
                The consumer is created on the EVENTLOOM stream if it does not exist, delivering \
                from the first message; each event is acknowledged once printed, so running the \
                command again with the same --durable continues where it stopped.
                """)

        @OptionGroup var nats: NATSOptions

        @Option(help: "Subject filter, e.g. eventloom.acme.> or eventloom.*.budget.TokensConsumed.")
        var subject = "eventloom.>"

        @Option(help: "The durable consumer's name ([A-Za-z0-9_-], 1-64).")
        var durable: String

        @Option(help: "Stop after this many events (default: run until interrupted).")
        var count: Int?

        @Option(help: "trace, debug, info, notice, warning, error or critical. Env: EVENTLOOM_LOG_LEVEL.")
        var logLevel: String?

        func validate() throws {
            guard Self.isSubjectFilter(subject) else {
                throw ValidationError("--subject must be eventloom.> or eventloom.<tenant>.<category>.<type> with * or a final >")
            }
            guard Identifiers.isValidTenant(durable) else {
                throw ValidationError("--durable must be 1-64 characters of [A-Za-z0-9_-]")
            }
            if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        }

        func run() async throws {
            var quiet = Logger(label: "eventloom.subscribe")
            let level = logLevel ?? ProcessInfo.processInfo.environment["EVENTLOOM_LOG_LEVEL"] ?? "warning"
            guard let parsed = Logger.Level(rawValue: level) else {
                throw ValidationError("log level must be one of trace, debug, info, notice, warning, error, critical")
            }
            quiet.logLevel = parsed
            let logger = quiet
            let (options, subject, durable, count) = (nats.connectionOptions(name: "eventloom-subscribe"), subject, durable, count)
            let printer = ClosureService(logger: logger) {
                try await cancelWhenGracefulShutdown {
                    try await Self.follow(options, subject: subject, durable: durable, count: count, logger: logger)
                }
            }
            try await ServiceGroup(configuration: .init(
                services: [.init(service: printer, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
        }

        private static func follow(_ options: NATSConnectionOptions, subject: String, durable: String, count: Int?,
                                   logger: Logger) async throws {
            let connection: NATSConnection
            do {
                connection = try await NATSConnection.connect(options, logger: logger)
            } catch {
                throw CommandFailure("cannot reach NATS at \(options.url): \(error) (scripts/services start runs a local one)")
            }
            defer { connection.close() }
            let jetStream = try JetStream(connection: connection)
            let subscription = try await jetStream.pullSubscribe(
                stream: "EVENTLOOM", consumer: ConsumerConfiguration(durable: durable, filterSubject: subject))
            var printed = 0
            while !Task.isCancelled, printed < count ?? .max {
                // Never fetch more than --count still needs: fetched but unacknowledged
                // messages would wait for the consumer's ack wait before another reader gets them.
                let batch = try await subscription.fetch(batch: min(256, (count ?? .max) - printed))
                for (index, message) in batch.enumerated() {
                    do {
                        if Task.isCancelled { throw CancellationError() }
                        try printAndAck(message)
                    } catch {
                        // Give back what was fetched and not printed, for the next reader.
                        for unprinted in batch[index...] { try? unprinted.nak() }
                        try? await connection.flush()
                        if error is CancellationError { return }
                        throw error
                    }
                    printed += 1
                }
            }
            try await connection.flush()
        }

        private static func printAndAck(_ message: JetStreamMessage) throws {
            let envelope: Eventloom_V1_EventEnvelope
            do {
                envelope = try Eventloom_V1_EventEnvelope(serializedBytes: message.message.payload)
            } catch {
                throw CommandFailure("message \(message.streamSequence) on \(message.message.subject) is not an EventEnvelope: \(error)")
            }
            FileHandle.standardOutput.write(Data((envelope.jsonLine(subject: message.message.subject) + "\n").utf8))
            try message.ack()
        }

        /// `eventloom` followed by 1-3 tokens, each a subject token or `*`, or ending in `>`.
        static func isSubjectFilter(_ subject: String) -> Bool {
            let tokens = subject.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard tokens.first == "eventloom", (2...4).contains(tokens.count) else { return false }
            for (index, token) in tokens.enumerated().dropFirst() {
                if token == ">" { return index == tokens.count - 1 }
                guard token == "*" || Identifiers.isValidTenant(token) else { return false }
            }
            return true
        }
    }
}
