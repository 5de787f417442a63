import ArgumentParser
import Foundation

struct BenchDocuments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "documents",
        abstract: "Document diff and merge against git; checkout depth; bytes stored for small edits; commits/s.",
        discussion: """
            (1) In this process: the line diff and the three-way merge of two 10,000-line versions, \
            timed against `git diff --no-index` and `git merge-file` on the same files in the same \
            run (git's time less its start-up, measured on empty files). (2) In a scratch database \
            (dropped afterwards), `eventloom serve` as a child process, driven over HTTP: --edits \
            small edits of a 1 MB text, the bytes the content store keeps for them, and the time to \
            check out versions at depth ~--edits against versions at depth 1; then --writers clients \
            committing to ONE document for --seconds, each retrying on a moved head. The limit is \
            pgbench's single-row INSERT rate at the same concurrency.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Small edits of the 1 MB text (2-5000).")
    var edits = 1_000

    @Option(help: "Concurrent writers on one document (1-256).")
    var writers = 16

    @Option(help: "Seconds of the writers' run (1-600).")
    var seconds = 10

    @Flag(help: "Keep the scratch database instead of dropping it.")
    var keep = false

    func validate() throws {
        guard (2...5_000).contains(edits) else { throw ValidationError("--edits must be 2-5000") }
        guard (1...256).contains(writers) else { throw ValidationError("--writers must be 1-256") }
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds must be 1-600") }
    }

    func run() async throws {
        let logger = try options.logger("eventloom.bench")
        _ = try ExternalProcess.locate("pgbench")
        _ = try ExternalProcess.locate("git")
        print("bench documents: \(edits) edits, \(writers) writers for \(seconds) s")
        try await DocumentTextBench().run()
        let scratch = try await ScratchDatabase.create(options, logger: logger)
        print("database \(scratch.name)")
        do {
            try await BenchDocumentsRun(bench: self, scratch: scratch, logger: logger).run()
        } catch {
            if !keep { try? await scratch.drop() }
            throw error
        }
        if keep { print("kept database \(scratch.name)") } else { try await scratch.drop() }
    }
}
