import ArgumentParser
import Foundation

struct BenchQuotas: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quotas",
        abstract: "Reservations per second on one hot budget against distinct budgets; oversell; cold start.",
        discussion: """
            In a scratch database (dropped afterwards), runs `eventloom serve` as a child process and \
            drives POST /v1/budgets/{id}/reservations with wrk: (1) --clients connections on ONE \
            budget; (2) the same on 64 distinct budgets (each request picks one at random); (3) a \
            budget with room for exactly 1,000 reservations, hammered until it refuses: grants must \
            be exactly 1,000 and the log must agree (0 oversell). The limit is pgbench's single-row \
            INSERT rate at the same concurrency (a reservation writes two rows). Then (4) the cold \
            start of a budget with --events events: a full fold against a load from its snapshot \
            and the events after it. Needs wrk and pgbench (scripts/setup installs them).
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "wrk connections, i.e. concurrent clients (1-1000).")
    var clients = 64

    @Option(help: "Seconds of each rate run (1-600).")
    var seconds = 10

    @Option(help: "Events in the budget whose cold start is measured (1000-10000000).")
    var events = 1_000_000

    @Flag(help: "Keep the scratch database instead of dropping it.")
    var keep = false

    func validate() throws {
        guard (1...1000).contains(clients) else { throw ValidationError("--clients must be 1-1000") }
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds must be 1-600") }
        guard (1000...10_000_000).contains(events) else { throw ValidationError("--events must be 1000-10000000") }
    }

    func run() async throws {
        let logger = try options.logger("eventloom.bench")
        _ = try ExternalProcess.locate("wrk")
        _ = try ExternalProcess.locate("pgbench")
        let scratch = try await ScratchDatabase.create(options, logger: logger)
        print("bench quotas: \(clients) clients, \(seconds) s per run, cold start of \(events) events, database \(scratch.name)")
        do {
            try await BenchQuotasRun(bench: self, scratch: scratch, logger: logger).run()
        } catch {
            if !keep { try? await scratch.drop() }
            throw error
        }
        if keep { print("kept database \(scratch.name)") } else { try await scratch.drop() }
    }
}
