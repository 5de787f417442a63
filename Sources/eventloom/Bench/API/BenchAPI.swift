import ArgumentParser
import EventStore
import Foundation
import Logging
import Projections

struct BenchAPI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Read-model freshness, rebuild speed, SSE fan-out and query rate of the API.",
        discussion: """
            Loads --events events into a scratch database (dropped afterwards) and runs \
            `eventloom project` and `eventloom serve` on it as child processes, then measures: \
            (1) append → audit read model visible, at a steady --rate, quiet and again while two \
            transactions that never append stay open for a minute (one in another database, one on \
            a table of the scratch database); (2) a rebuild of the audit \
            read model against its limit, one raw SELECT of the whole log; (3) GET /v1/audit \
            against GET /healthz of the same server, under wrk; (4) --clients SSE clients on \
            GET /v1/events/stream while events arrive at --rate: delivery delay and the server's \
            resident memory. Needs wrk and curl (scripts/setup installs them).
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Events loaded before measuring; the rebuild reads them all (1000-10000000).")
    var events = 200_000

    @Option(help: "Appends per second during the freshness and fan-out runs (1-20000).")
    var rate = 1000

    @Option(help: "Seconds of each steady run, after one second of warm-up (1-600).")
    var seconds = 10

    @Option(help: "SSE clients connected during the fan-out run (1-20000).")
    var clients = 1000

    @Option(help: "wrk connections for the query rate (1-1000).")
    var connections = 32

    @Flag(help: "Keep the scratch database instead of dropping it.")
    var keep = false

    func validate() throws {
        guard (1000...10_000_000).contains(events) else { throw ValidationError("--events must be 1000-10000000") }
        guard (1...20_000).contains(rate) else { throw ValidationError("--rate must be 1-20000") }
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds must be 1-600") }
        guard (1...20_000).contains(clients) else { throw ValidationError("--clients must be 1-20000") }
        guard (1...1000).contains(connections) else { throw ValidationError("--connections must be 1-1000") }
    }

    func run() async throws {
        let logger = try options.logger("eventloom.bench")
        _ = try ExternalProcess.locate("wrk")
        let scratch = try await ScratchDatabase.create(options, logger: logger)
        print("bench api: \(events) events, \(rate) events/s for \(seconds) s, \(clients) SSE clients, database \(scratch.name)")
        do {
            try await BenchAPIRun(bench: self, scratch: scratch, logger: logger).run()
        } catch {
            if !keep { try? await scratch.drop() }
            throw error
        }
        if keep { print("kept database \(scratch.name)") } else { try await scratch.drop() }
    }
}
