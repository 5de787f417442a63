import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// `GET /v1/keys/{id}` shows a key of the caller's tenant; `PATCH /v1/keys/{id}` (admin)
/// disables, enables or revokes it, soft-deletes or restores it, or moves its expiry.
/// Every change of one request lands at once, or none does; `If-Match` guards it.
struct KeyManagementController {
    let store: EventStore
    let database: TenantDatabase
    let maximumBodySize: Int
    let clock: WallClock

    /// A budget of the key's own (scope `key`), the chain it draws on and its window's status.
    struct KeyBudget: Codable, Equatable {
        let id: String
        let chain: [String]
        let status: String
    }

    struct KeyView: ResponseEncodable, Equatable {
        let id: String
        let name: String
        let roles: [String]
        /// "active", "disabled", "expired", "revoked", or "exhausted" (active, but one of its
        /// own budgets is spent in its current window).
        let status: String
        let deleted: Bool
        let userId: String?
        let departmentId: String?
        let group: String
        let allowedModels: [String]
        let expiresAt: String?
        let issuedAt: String
        let changedAt: String
        /// The key's own budgets, each with the chain of budgets it draws on.
        let budgets: [KeyBudget]
        let streamVersion: Int64

        init(_ record: KeyRecord, version: Int64, now: Date, budgets: [KeyBudget] = []) {
            let profile = record.profile
            id = profile.keyID
            name = profile.name
            roles = profile.roles.map(\.rawValue)
            let status = record.effectiveStatus(at: now)
            self.status = status == .active && budgets.contains { $0.status == "exhausted" } ? "exhausted" : status.rawValue
            self.budgets = budgets
            deleted = record.deleted
            userId = profile.userID
            departmentId = profile.departmentID
            group = profile.group
            allowedModels = profile.allowedModels
            expiresAt = profile.expiresAt.map(APITime.text)
            issuedAt = APITime.text(record.issuedAt)
            changedAt = APITime.text(record.changedAt)
            streamVersion = version
        }
    }

    /// The body of a PATCH; `expires_at: null` removes the expiry, leaving it out keeps it.
    struct Change: Decodable {
        let status: String?
        let deleted: Bool?
        let expiresAt: String?
        let changesExpiry: Bool

        enum CodingKeys: String, CodingKey { case status, deleted, expiresAt }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decodeIfPresent(String.self, forKey: .status)
            deleted = try container.decodeIfPresent(Bool.self, forKey: .deleted)
            expiresAt = try container.decodeIfPresent(String.self, forKey: .expiresAt)
            changesExpiry = container.contains(.expiresAt)
        }

        func commands(now: Date) throws -> [KeyCommand] {
            var commands: [KeyCommand] = []
            if changesExpiry { commands.append(.renew(expiresAt: try APITime.parse(expiresAt, field: "expires_at"), now: now)) }
            switch status {
            case nil: break
            case "active": commands.append(.enable(now: now))
            case "disabled": commands.append(.disable(now: now))
            case "revoked": commands.append(.revoke(now: now))
            default: throw APIError.invalid("status", "must be one of active, disabled, revoked")
            }
            if let deleted { commands.append(deleted ? .delete(now: now) : .restore(now: now)) }
            guard !commands.isEmpty else { throw APIError.invalid("body", "change status, deleted or expires_at") }
            return commands
        }
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/keys/:id") { request, context in try await show(request, context) }
        router.patch("/v1/keys/:id") { request, context in try await change(request, context) }
    }

    private func show(_ request: Request, _ context: AppRequestContext) async throws -> KeyView {
        let caller = try context.requireCaller()
        try caller.require(.admin, .auditor)
        let stream = try Self.stream(context)
        let folded = try await store.state(of: Key.self, tenant: caller.tenant, stream: stream)
        guard let record = folded.state.record else { throw APIError.notFound("no such key") }
        let budgets = try await ownBudgets(of: record.profile.keyID, tenant: caller.tenant)
        return KeyView(record, version: folded.version, now: clock.now(), budgets: budgets)
    }

    private func change(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<KeyView> {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        let stream = try Self.stream(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(Change.self)
        let now = clock.now()
        let outcome = try await CommandHandler(store: store, decider: Key.self).handle(
            try body.commands(now: now), tenant: caller.tenant, stream: stream, ifVersion: try WriteResponse.ifMatch(request),
            metadata: RequestMetadata(request, context).metadata)
        guard let record = outcome.state.record else { throw APIError.notFound("no such key") }
        return WriteResponse.make(KeyView(record, version: outcome.version, now: now), version: outcome.version,
                                  position: outcome.append?.lastCursor)
    }

    /// The key's own budgets from the quotas read model; none while that read model does not exist.
    private func ownBudgets(of keyID: String, tenant: String) async throws -> [KeyBudget] {
        do {
            return try await BudgetReads(database: database).budgets(tenant: tenant, scope: .key, id: keyID, now: clock.now())
                .map { KeyBudget(id: $0.id, chain: $0.chain ?? [$0.id], status: $0.window?.status ?? "ok") }
        } catch let error as EventStoreError where error.isMissingTable {
            return []
        }
    }

    private static func stream(_ context: AppRequestContext) throws -> String {
        let id = try PathInput(context: context).string("id")
        guard Identifiers.isValidStream(Key.stream(id)) else { throw APIError.notFound("no such key") }
        return Key.stream(id)
    }
}
