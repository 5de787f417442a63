import ArgumentParser
import Foundation

struct BenchRouting: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routing",
        abstract: "Routing decisions per second over HTTP, outcome reports ingested per second, trip-to-honoured latency across two processes.",
        discussion: """
            In a scratch database (dropped afterwards), runs two `eventloom serve` processes as child \
            processes and drives them over HTTP: (1) POST /v1/route under wrk with --connections \
            connections, 16 channels in two tiers, against GET /healthz of the same server measured \
            just before and just after (the ratio uses the higher); (2) --reporters clients posting \
            outcome reports of 100 outcomes each (each client to its own channel; all to one fresh \
            channel; all to one channel whose memory of request ids is full), against pgbench's \
            single-row INSERT rate at the same concurrency; (3) --trips times: failures reported to the first process trip a channel, and \
            the second process is asked for routes until it stops routing to that channel (the time \
            from the first process's answer to the second's first route elsewhere).
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "wrk connections for the routing rate (1-1024).")
    var connections = 64

    @Option(help: "Concurrent outcome reporters (1-256).")
    var reporters = 16

    @Option(help: "Trips measured across the two processes (1-1000).")
    var trips = 100

    @Option(help: "Seconds of each rate run (1-600).")
    var seconds = 10

    @Flag(help: "Keep the scratch database instead of dropping it.")
    var keep = false

    func validate() throws {
        guard (1...1_024).contains(connections) else { throw ValidationError("--connections must be 1-1024") }
        guard (1...256).contains(reporters) else { throw ValidationError("--reporters must be 1-256") }
        guard (1...1_000).contains(trips) else { throw ValidationError("--trips must be 1-1000") }
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds must be 1-600") }
    }

    func run() async throws {
        let logger = try options.logger("eventloom.bench")
        _ = try ExternalProcess.locate("pgbench")
        _ = try ExternalProcess.locate("wrk")
        let scratch = try await ScratchDatabase.create(options, logger: logger)
        print("bench routing: \(connections) connections, \(reporters) reporters, \(trips) trips, database \(scratch.name)")
        do {
            try await BenchRoutingRun(bench: self, scratch: scratch, logger: logger).run()
        } catch {
            if !keep { try? await scratch.drop() }
            throw error
        }
        if keep { print("kept database \(scratch.name)") } else { try await scratch.drop() }
    }
}
