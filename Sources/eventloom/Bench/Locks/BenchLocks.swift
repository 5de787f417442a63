import ArgumentParser
import Foundation

struct BenchLocks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locks",
        abstract: "Lock acquire→release cycles per second on one resource against distinct resources; hand-over latency.",
        discussion: """
            In a scratch database (dropped afterwards), runs `eventloom serve` as a child process and \
            drives it over HTTP: (1) --contenders clients on ONE resource, each acquiring with wait_ms \
            (FIFO queue) and releasing at once; (2) the same number of clients, each on its own \
            resource. Reports cycles/s of both and their ratio, and the hand-over latency: from a \
            holder sending its release to the next waiter receiving its grant (p50, p99). Also \
            checks that the hot resource's fencing tokens were granted once each, in order. The \
            limit is pgbench's single-row INSERT rate at the same concurrency (a cycle appends twice).
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Concurrent clients (2-256).")
    var contenders = 16

    @Option(help: "Seconds of each run (1-600).")
    var seconds = 10

    @Flag(help: "Keep the scratch database instead of dropping it.")
    var keep = false

    func validate() throws {
        guard (2...256).contains(contenders) else { throw ValidationError("--contenders must be 2-256") }
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds must be 1-600") }
    }

    func run() async throws {
        let logger = try options.logger("eventloom.bench")
        _ = try ExternalProcess.locate("pgbench")
        let scratch = try await ScratchDatabase.create(options, logger: logger)
        print("bench locks: \(contenders) clients, \(seconds) s per run, database \(scratch.name)")
        do {
            try await BenchLocksRun(bench: self, scratch: scratch, logger: logger).run()
        } catch {
            if !keep { try? await scratch.drop() }
            throw error
        }
        if keep { print("kept database \(scratch.name)") } else { try await scratch.drop() }
    }
}
