import EventStore
import Foundation
import Hummingbird
import Projections

/// `GET /v1/projections` (each read model's checkpoint, lag and state) and
/// `POST /v1/projections/{name}/rebuild` (system admin; for a read model outside
/// PostgreSQL, e.g. `search`, this process's copy).
struct ProjectionsController {
    let store: EventStore
    let catalog: ProjectionCatalog
    /// The read models outside PostgreSQL this process runs.
    var external: [any ExternalRebuilding] = []
    let stallAfter: Duration
    let clock: WallClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/projections") { _, context in try await list(context) }
        router.post("/v1/projections/:name/rebuild") { _, context in try await rebuild(context) }
    }

    struct Item: Encodable {
        let name: String
        let version: Int
        let state: String
        let cursor: String
        let lagEvents: Int
        let lagSeconds: Double
        /// Why a `stalled` projection is reported so.
        let stalledBecause: String?
        /// Only the system admin sees why a projection stopped: the event may be another tenant's.
        let error: String?
        let failedEventId: String?
        let rebuild: Rebuild?
        /// `process` for a read model outside PostgreSQL: the copy of the process that answered.
        var scope: String? = nil
    }

    struct Rebuild: Encodable {
        let applied: Int64?
        let total: Int64?
        let version: Int?
        /// The last event a read model outside PostgreSQL's copy being rebuilt reflects.
        var cursor: String? = nil
    }

    struct List: ResponseEncodable {
        let projections: [Item]
        /// Why the lag may not shrink: this database's oldest log writer (a transaction that
        /// can still append), when it has run for a second or more (its pid and database for
        /// the system admin only).
        let oldestLogWriter: OldestTransaction?
    }

    struct OldestTransaction: Encodable {
        let seconds: Double
        let pid: Int32?
        let database: String?
        let state: String?
    }

    private func list(_ context: AppRequestContext) async throws -> List {
        let caller = try context.requireCaller()
        let now = clock.micros()
        var items: [Item] = []
        for status in try await catalog.all() {
            let lag = try await ProjectionLag.of(status, in: store, now: now, stallAfter: stallAfter,
                                                 detailed: caller.isSystemAdmin)
            items.append(Item(
                name: status.name, version: status.version, state: lag.stall == nil ? status.state.rawValue : "stalled",
                cursor: status.cursor.description, lagEvents: lag.events, lagSeconds: lag.seconds,
                stalledBecause: lag.stall,
                error: caller.isSystemAdmin ? status.error : nil,
                failedEventId: caller.isSystemAdmin ? status.failedEventID?.uuidString.lowercased() : nil,
                rebuild: status.rebuild.map { Rebuild(applied: $0.applied, total: $0.total, version: $0.version) }))
        }
        for runner in external {
            items.append(try await item(runner.externalStatus, now: now))
        }
        let holder = try await store.horizonHolder().flatMap { $0.seconds >= 1 ? $0 : nil }
        let oldest = holder.map { holder in
            caller.isSystemAdmin
                ? OldestTransaction(seconds: holder.seconds, pid: holder.pid, database: holder.database, state: holder.state)
                : OldestTransaction(seconds: holder.seconds, pid: nil, database: nil, state: nil)
        }
        return List(projections: items, oldestLogWriter: oldest)
    }

    /// This process's copy of a read model outside PostgreSQL: its checkpoint and lag (it
    /// has no leader to be stalled by; a failure to apply is retried and logged).
    private func item(_ status: ExternalStatus, now: Int64) async throws -> Item {
        let lag = try await ProjectionLag.behind(status.checkpoint, in: store, now: now)
        return Item(name: status.name, version: status.version, state: "running", cursor: status.checkpoint.description,
                    lagEvents: lag.events, lagSeconds: lag.seconds,
                    stalledBecause: nil, error: nil, failedEventId: nil,
                    rebuild: status.rebuilding.map { Rebuild(applied: nil, total: nil, version: status.version, cursor: $0.description) },
                    scope: "process")
    }

    struct Accepted: ResponseEncodable {
        let projection: String
        let status: String
    }

    private func rebuild(_ context: AppRequestContext) async throws -> EditedResponse<Accepted> {
        let caller = try context.requireCaller()
        guard caller.isSystemAdmin else { throw APIError.forbidden("only the system admin rebuilds projections") }
        let name = try PathInput(context: context).string("name")
        if let runner = external.first(where: { $0.readModelName == name }) {
            let status = runner.requestRebuild() ? "rebuild requested in this process" : "rebuild already under way in this process"
            return EditedResponse(status: .accepted, response: Accepted(projection: name, status: status))
        }
        guard ProjectionName.isValid(name), try await catalog.requestRebuild(name) else {
            throw APIError.notFound("no projection named \(name)")
        }
        return EditedResponse(status: .accepted, response: Accepted(projection: name, status: "rebuild requested"))
    }
}
