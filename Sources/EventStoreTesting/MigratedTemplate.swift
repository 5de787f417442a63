import EventStore
import Foundation
import Logging
import Synchronization

/// The migrated database that this process's test databases are copied from
/// (`CREATE DATABASE … TEMPLATE`), made by the first test that needs one.
///
/// Copying is one statement; migrating each database anew was dozens of round trips in
/// transactions that, in a process busy with every other test, held the cluster-wide log
/// horizon for seconds at a time. Its name starts with `eventloom_test_`, so `scripts/test`
/// drops it with the test databases.
enum MigratedTemplate {
    private static let lock = AsyncMutex()
    private static let created = Mutex<String?>(nil)

    /// The template's name, creating and migrating it on the first call.
    static func name() async throws -> String {
        try await lock.withLock {
            if let name = created.withLock({ $0 }) { return name }
            let name = "eventloom_test_template_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await AdminStatements.run("CREATE DATABASE \(name)", on: TestDatabase.serverURL)
            try await TestDatabase.withClient(try DatabaseURL.configuration(try TestDatabase.databaseURL(name))) { client in
                _ = try await Migrator(client: client, migrations: try Migration.bundled(), logger: Logger(label: "test.template")).migrate()
            }
            created.withLock { $0 = name }
            return name
        }
    }
}
