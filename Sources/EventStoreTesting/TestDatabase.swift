import EventStore
import Foundation
import Logging
import PostgresNIO

/// A throwaway, migrated database on the test cluster, with an ``EventStore`` on it.
///
/// The cluster is the one `EVENTLOOM_DATABASE_URL` names (scripts/test starts it); its
/// role needs CREATEDB. Each call creates `eventloom_test_<random>` as a copy of the
/// process's ``MigratedTemplate``, checks its migrations and runs the store's client,
/// notifier and listener around `body`.
///
/// The databases are not dropped here: a DROP DATABASE waits for a checkpoint, which takes
/// seconds under the suite's load. `scripts/test` drops those of earlier runs before it
/// starts the suite.
public enum TestDatabase {
    public static var serverURL: String {
        ProcessInfo.processInfo.environment["EVENTLOOM_DATABASE_URL"]
            ?? "postgres://eventloom@127.0.0.1:55432/eventloom"
    }

    /// How long a test waits for its commits to become readable. Only log writers of its
    /// own database hold the horizon, but a machine the suite keeps busy can delay a
    /// commit's wake-up, or a writer's commit, by seconds.
    public static let horizonTimeout: Duration = .seconds(120)

    public static func withStore<T: Sendable>(
        maximumConnections: Int = 8,
        _ body: @Sendable (EventStore) async throws -> T
    ) async throws -> T {
        try await withDatabase(maximumConnections: maximumConnections) { store, _ in try await body(store) }
    }

    /// ``withStore(maximumConnections:_:)`` that also passes the database's URL, for
    /// connections of their own and for child processes.
    public static func withDatabase<T: Sendable>(
        maximumConnections: Int = 8,
        _ body: @Sendable (EventStore, String) async throws -> T
    ) async throws -> T {
        let name = "eventloom_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let template = try await MigratedTemplate.name()
        try await AdminStatements.run("CREATE DATABASE \(name) TEMPLATE \(template)", on: serverURL)
        let url = try databaseURL(name)
        var configuration = try DatabaseURL.configuration(url)
        configuration.options.maximumConnections = maximumConnections
        return try await withClient(configuration) { client in
            let logger = Logger(label: "test.\(name)")
            try await Migrator(client: client, migrations: try Migration.bundled(), logger: logger).migrate()
            return try await withServices(of: EventStore(client: client, logger: logger, keyring: testKeyring)) {
                try await body($0, url)
            }
        }
    }

    /// The master key of the suite, in base64: `EVENTLOOM_MASTER_KEY` when set
    /// (scripts/test sets one, which the child processes the tests start share), else one
    /// made for this run (give it to a child with `--master-key-file`).
    public static let masterKeyText: String = {
        if let text = ProcessInfo.processInfo.environment["EVENTLOOM_MASTER_KEY"], (try? MasterKey(base64: text)) != nil {
            return text
        }
        return MasterKey.generateText()
    }()

    /// ``masterKeyText`` as a key.
    public static let masterKey: MasterKey = try! MasterKey(base64: masterKeyText)

    /// A keyring with ``masterKey``, for a store of the suite (each store its own cache).
    public static var testKeyring: SubjectKeyring { SubjectKeyring(master: masterKey) }

    static func databaseURL(_ name: String) throws -> String {
        guard var components = URLComponents(string: serverURL) else {
            throw EventStoreError(.invalidInput, "EVENTLOOM_DATABASE_URL is not a URL")
        }
        components.path = "/" + name
        return components.string ?? serverURL
    }

    /// Runs `body` with a client to `configuration` that runs meanwhile.
    public static func withClient<T: Sendable>(
        _ configuration: PostgresClient.Configuration, _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        var quiet = Logger(label: "test.client")
        quiet.logLevel = .error
        return try await withRunningClient(configuration, backgroundLogger: quiet, body)
    }

    /// Runs `body` with `store`'s notifier and listener running, e.g. a second store on a
    /// database of ``withDatabase(maximumConnections:_:)``, as another process would have.
    public static func withServices<T: Sendable>(
        of store: EventStore, _ body: @Sendable (EventStore) async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.notifier.run() }
            group.addTask { await store.listener.run() }
            defer { group.cancelAll() }
            return try await body(store)
        }
    }
}
