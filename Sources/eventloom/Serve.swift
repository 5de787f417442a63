import API
import ArgumentParser
import EventStore
import Foundation

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API (REST and Server-Sent Events) over the log and its read models.",
        discussion: """
            Read models are kept up to date by `eventloom project`; `eventloom dev` runs both \
            (and the relay) in one process. The API contract: schemas/openapi.yaml.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var http: HTTPOptions

    func run() async throws {
        let logger = try options.logger("eventloom.api")
        TasksOnEventLoops.install(logger: logger)
        let configuration = try http.apiConfiguration()
        if configuration.adminKey == nil {
            logger.warning("no EVENTLOOM_ADMIN_KEY: only existing tenant keys can call the API")
        }
        let keyring = try options.requiredKeyring()
        try await checkMasterKeys(options, logger: logger)
        try await runServices(options, logger: logger, keyring: keyring) { store in
            [buildApplication(store: store, configuration: configuration, logger: logger)]
        }
    }
}
