import ArgumentParser
import EventStore
import Foundation
import Logging
import Projections

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild a read model from the start of the log, then swap it in.",
        discussion: """
            The rebuild fills separate tables while queries keep reading the current ones, and \
            swaps them in atomically at the end. This process runs the projection itself unless \
            another process runs it already, which then does the work; either way it shows the \
            progress (events/s, time left) and returns once the new tables are live. Stopped \
            halfway, the rebuild resumes where it was the next time the projection runs.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "The projection to rebuild.")
    var projection: String

    func validate() throws {
        guard ProjectionRegistry.names.contains(projection) else {
            throw ValidationError("no projection named \(projection); known: \(ProjectionRegistry.names.joined(separator: ", "))")
        }
    }

    func run() async throws {
        let logger = try options.logger("eventloom.replay")
        let chosen = try ProjectionRegistry.select([projection])[0]
        let lockConnection = try options.connectionConfiguration()
        try await runServices(options, logger: logger, endWhenDone: true) { store in
            let runner = ProjectionRunner(projection: chosen, store: store, lockConnection: lockConnection, logger: logger)
            let watcher = ClosureService(logger: logger) {
                try await RebuildWatcher(catalog: ProjectionCatalog(client: store.client, logger: logger),
                                         name: chosen.name).requestAndWait()
            }
            return [watcher, runner]
        }
    }
}
