import EventStore
import Hummingbird
import Logging
import PostgresNIO

/// `GET /healthz` (the process answers) and `GET /readyz` (the database answers and has
/// every migration this build ships).
struct HealthController {
    let client: PostgresClient
    let logger: Logger

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ in Status(status: "ok") }
        router.get("/readyz") { _, _ in try await ready() }
    }

    struct Status: ResponseCodable {
        let status: String
    }

    private func ready() async throws -> Status {
        do {
            let migrator = Migrator(client: client, migrations: try Migration.bundled(), logger: logger)
            let pending = try await migrator.pending()
            guard pending.isEmpty else {
                throw APIError(.serviceUnavailable, "not-ready", "Not ready",
                               detail: "\(pending.count) migration(s) not applied: run eventloom migrate")
            }
            return Status(status: "ready")
        } catch let error as APIError {
            throw error
        } catch {
            logger.warning("not ready", metadata: ["error": "\(String(reflecting: error))"])
            throw APIError(.serviceUnavailable, "not-ready", "Not ready", detail: "the database does not answer")
        }
    }
}
