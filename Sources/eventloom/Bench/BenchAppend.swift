import ArgumentParser
import EventStore
import Foundation
import Logging

struct BenchAppend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Append throughput and latency, and the same load as raw inserts (batch 1) or COPY (batch > 1).",
        discussion: """
            Runs in a scratch database created next to the one --database-url names (its role needs \
            CREATEDB) and dropped afterwards: the log is append-only, so a benchmark never writes \
            into a real one. Each writer appends to its own stream with an exact expected version. \
            The limit is measured in the same run on a table identical to `events`: pgbench's \
            single-row INSERT at the same concurrency for --batch 1, concurrent psql COPY of \
            identical rows in transactions of --batch rows otherwise.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Concurrent writers (1-256).")
    var writers = 16

    @Option(help: "Events in all (divided evenly between writers).")
    var events = 100_000

    @Option(help: "Events per append (1-10000).")
    var batch = 1

    @Flag(help: "Skip measuring PostgreSQL's limit.")
    var skipLimit = false

    @Flag(help: "Keep the scratch database instead of dropping it.")
    var keep = false

    @Flag(help: """
        Instead: append chat messages (about 500 bytes, with the request's IP and user agent) with \
        personal-data encryption off and on, twice each (off, on, on, off: a drift over the run \
        weighs on both alike), each run in a fresh scratch database, and report the ratio.
        """)
    var encryption = false

    func validate() throws {
        guard (1...256).contains(writers) else { throw ValidationError("--writers must be between 1 and 256") }
        guard (1...10_000).contains(batch) else { throw ValidationError("--batch must be between 1 and 10000") }
        guard (writers * batch...100_000_000).contains(events) else {
            throw ValidationError("--events must be between writers × batch (\(writers * batch)) and 100000000")
        }
    }

    func run() async throws {
        let logger = try options.logger("eventloom.bench")
        if encryption { return try await compareEncryption(logger: logger) }
        let scratch = try await ScratchDatabase.create(options, logger: logger)
        print("bench append: \(writers) writers, \(events) events, batch \(batch), database \(scratch.name)")
        do {
            let load = AppendLoad(writers: writers, events: events, batch: batch)
            let result = try await load.run(on: scratch, logger: logger)
            print(result.report)
            if !skipLimit {
                let limit = try await PhysicalLimit(load: load, scratch: scratch, logger: logger).measure()
                print(limit.report)
                print(String(format: "ratio:     %.2f× %@", result.eventsPerSecond / limit.rowsPerSecond, limit.name))
            }
        } catch {
            if !keep { try? await scratch.drop() }
            throw error
        }
        if keep { print("kept database \(scratch.name)") } else { try await scratch.drop() }
    }

    /// Message appends in clear, sealed, sealed, in clear: each run in a scratch database of its own.
    private func compareEncryption(logger: Logger) async throws {
        print("bench append --encryption: \(writers) writers, \(events) chat messages per run, batch \(batch)")
        var rates: [Bool: [Double]] = [false: [], true: []]
        for sealed in [false, true, true, false] {
            let scratch = try await ScratchDatabase.create(options, logger: logger)
            do {
                let load = AppendLoad(writers: writers, events: events, batch: batch, payload: .message(sealed: sealed))
                let result = try await load.run(on: scratch, logger: logger)
                print("encryption \(sealed ? "on " : "off"): \(result.report)")
                rates[sealed, default: []].append(result.eventsPerSecond)
            } catch {
                try? await scratch.drop()
                throw error
            }
            try await scratch.drop()
        }
        let off = rates[false, default: []].reduce(0, +) / 2
        let on = rates[true, default: []].reduce(0, +) / 2
        print(String(format: "ratio:     %.2f× (encryption on / off, mean events/s %.0f / %.0f)", on / off, on, off))
    }
}
