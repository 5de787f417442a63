import ArgumentParser
import EventStore
import Foundation
import Projections
import Quotas
import ServiceLifecycle

struct Project: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Keep read models up to date: one runner per projection, in this process.",
        discussion: """
            Each runner reads the log by cursor and writes its read model and checkpoint in one \
            transaction. One process per projection writes at a time: another one started against \
            the same database stands by and takes over within a second of the first one's end. An \
            event that fails to apply stops its projection there (see `GET /v1/projections`); it is \
            retried with backoff. Reservations and keys past their time are expired here too, and the log is sealed when a seal key is configured. Projections: \(ProjectionRegistry.names.joined(separator: ", ")).
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var seals: SealOptions

    @Option(help: "Comma-separated projections to run (default: all).")
    var only: String?

    var selected: [String]? {
        only.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    func validate() throws {
        do {
            _ = try ProjectionRegistry.select(selected)
        } catch {
            throw ValidationError("\(error); known: \(ProjectionRegistry.names.joined(separator: ", "))")
        }
    }

    func run() async throws {
        let logger = try options.logger("eventloom.project")
        let projections = try ProjectionRegistry.select(selected)
        let lockConnection = try options.connectionConfiguration()
        let keyring = try options.requiredKeyring()
        try await checkMasterKeys(options, logger: logger)
        try await runServices(options, logger: logger, keyring: keyring) { store in
            let runners: [any Service] = projections.map {
                ProjectionRunner(projection: $0, store: store, lockConnection: lockConnection, logger: logger)
            }
            let sealer = try seals.sealer(store: store, lockConnection: lockConnection, logger: logger)
            return runners + [ExpiryReactor(store: store, ledger: QuotaLedger(store: store, logger: logger), logger: logger)]
                + (sealer.map { [$0] } ?? [])
        }
    }
}
