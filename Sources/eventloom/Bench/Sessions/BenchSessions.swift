import ArgumentParser
import Foundation

struct BenchSessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "Session list and search latency over a loaded log; append-message throughput.",
        discussion: """
            In a scratch database (dropped afterwards): loads --sessions sessions with --messages \
            messages in all (conversations, one session in a multi-stream append per 50), runs \
            `eventloom project` until the sessions read model has them, then `eventloom serve` as a \
            child process, and drives it with wrk: (1) GET /v1/sessions for a random owner, (2) \
            GET /v1/sessions/search for a random word or Chinese phrase, each with --clients \
            connections, reporting p50/p99; (3) POST /v1/sessions/{id}/messages on random sessions \
            with --writers connections. \
            The limit for (3) is the single-row INSERT rate of the same row size at the same \
            concurrency, in the same run. Needs wrk and pgbench (scripts/setup installs them).
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Sessions to load (100-1000000).")
    var sessions = 100_000

    @Option(help: "Messages to load in all, spread evenly over the sessions.")
    var messages = 2_000_000

    @Option(help: "Owners the sessions belong to (1-100000).")
    var owners = 1_000

    @Option(help: "wrk connections of the list and search runs (1-1000).")
    var clients = 4

    @Option(help: "wrk connections of the append run (1-1000).")
    var writers = 16

    @Option(help: "Seconds of each run (1-600).")
    var seconds = 10

    @Flag(help: "Keep the scratch database instead of dropping it.")
    var keep = false

    func validate() throws {
        guard (100...1_000_000).contains(sessions) else { throw ValidationError("--sessions must be 100-1000000") }
        guard messages >= sessions, messages / sessions <= 1_000 else {
            throw ValidationError("--messages must be at least --sessions and at most 1000 per session")
        }
        guard (1...100_000).contains(owners) else { throw ValidationError("--owners must be 1-100000") }
        guard (1...1000).contains(clients) else { throw ValidationError("--clients must be 1-1000") }
        guard (1...1000).contains(writers) else { throw ValidationError("--writers must be 1-1000") }
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds must be 1-600") }
    }

    func run() async throws {
        let logger = try options.logger("eventloom.bench")
        _ = try ExternalProcess.locate("wrk")
        _ = try ExternalProcess.locate("pgbench")
        let scratch = try await ScratchDatabase.create(options, logger: logger)
        print("bench sessions: \(sessions) sessions, \(messages / sessions * sessions) messages, \(owners) owners, "
              + "\(clients) readers, \(writers) writers, \(seconds) s per run, database \(scratch.name)")
        do {
            try await BenchSessionsRun(bench: self, scratch: scratch, logger: logger).run()
        } catch {
            if !keep { try? await scratch.drop() }
            throw error
        }
        if keep { print("kept database \(scratch.name)") } else { try await scratch.drop() }
    }
}
