import ArgumentParser
import Foundation

struct BenchErasure: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erasure",
        abstract: "Time to make a data subject with --events events unreadable everywhere.",
        discussion: """
            In a scratch database (dropped afterwards): loads two subjects' sessions, --events events \
            each (sessions of 100 events, sealed with each owner's key), builds the sessions read \
            model with an `eventloom project` child, then erases one subject through the write path \
            and times until its plaintext is gone (1) from this process's reads of the log, (2) from \
            another store's (its own connections and key cache, warmed before: it learns by \
            notification), (3) from the sessions read model the child keeps. The other subject \
            must still read in clear.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Events of the erased subject (1000-10000000); the kept subject gets as many.")
    var events = 100_000

    @Flag(help: "Keep the scratch database instead of dropping it.")
    var keep = false

    func validate() throws {
        guard (1_000...10_000_000).contains(events) else { throw ValidationError("--events must be 1000-10000000") }
    }

    func run() async throws {
        let logger = try options.logger("eventloom.bench")
        let scratch = try await ScratchDatabase.create(options, logger: logger)
        print("bench erasure: \(events) events per subject, database \(scratch.name)")
        do {
            try await BenchErasureRun(events: events, scratch: scratch, logger: logger).run()
        } catch {
            if !keep { try? await scratch.drop() }
            throw error
        }
        if keep { print("kept database \(scratch.name)") } else { try await scratch.drop() }
    }
}
