import Domain
import EventStore
import Foundation
import Hummingbird

/// `POST /v1/keys`: issue an API key. The system admin issues keys for any tenant; a
/// tenant's admin for its own tenant. The secret is in the response, and nowhere else.
/// With an `Idempotency-Key`, a retry by the same caller with the same body gets the first
/// response again (`Idempotent-Replayed: true`); with another body, 422.
struct KeysController {
    let store: EventStore
    let consistency: Consistency
    let secrets: ServerSecrets
    let maximumBodySize: Int
    let clock: WallClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/keys") { request, context in try await issue(request, context) }
    }

    struct IssueKey: Decodable {
        let tenant: String?
        let name: String
        let roles: [String]
        let userId: String?
        let departmentId: String?
        let group: String?
        let allowedModels: [String]?
        let expiresAt: String?
    }

    struct IssuedKey: ResponseEncodable {
        let id: String
        let tenant: String
        let name: String
        let roles: [String]
        let secret: String
        let streamVersion: Int64
        let position: String
    }

    /// A validated request: the tenant and the profile of the key to issue.
    struct Issue {
        let tenant: String
        let name: String
        let roles: Set<KeyRole>
        let userID: String?
        let departmentID: String?
        let group: String
        let allowedModels: [String]
        let expiresAt: Date?

        /// The profile of the key `keyID` with the secret hash `secretSHA256`.
        func profile(keyID: String, secretSHA256: [UInt8]) -> KeyProfile {
            KeyProfile(keyID: keyID, name: name, roles: roles.sorted(), secretSHA256: secretSHA256, userID: userID,
                       departmentID: departmentID, group: group, allowedModels: allowedModels, expiresAt: expiresAt)
        }
    }

    private func issue(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<IssuedKey> {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        let idempotencyKey = try IdempotencyKey(request)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(IssueKey.self)
        let issue = try validated(body, caller: caller)
        guard let idempotencyKey else { return try await append(issue, secret: .generate(), request, context) }
        let secret = KeySecret.derived(key: try await secrets.keyDerivation(), callerKeyID: caller.keyID,
                                       tenant: issue.tenant, idempotencyKey: idempotencyKey.value)
        if let first = try await previous(issue, secret: secret) { return first }
        do {
            return try await append(issue, secret: secret, request, context)
        } catch {
            // A concurrent retry may have appended first (a lost race, or the key then exists).
            guard Self.mayBeConcurrentRetry(error), let first = try await previous(issue, secret: secret) else { throw error }
            return first
        }
    }

    private func validated(_ body: IssueKey, caller: Caller) throws -> Issue {
        let tenant = body.tenant ?? caller.tenant
        guard Identifiers.isValidTenant(tenant) else { throw APIError.invalid("tenant", "is not a valid tenant id") }
        guard caller.isSystemAdmin || tenant == caller.tenant else {
            throw APIError.forbidden("only the system admin issues keys for another tenant")
        }
        var roles: Set<KeyRole> = []
        for (index, name) in body.roles.enumerated() {
            guard let role = KeyRole(rawValue: name) else {
                throw APIError.invalid("roles.\(index)", "must be one of admin, operator, reader, auditor")
            }
            roles.insert(role)
        }
        return Issue(tenant: tenant, name: body.name, roles: roles, userID: body.userId, departmentID: body.departmentId,
                     group: body.group ?? PriceList.defaultGroup, allowedModels: body.allowedModels ?? [],
                     expiresAt: try APITime.parse(body.expiresAt, field: "expires_at"))
    }

    private func append(_ issue: Issue, secret: KeySecret, _ request: Request, _ context: AppRequestContext)
        async throws -> EditedResponse<IssuedKey>
    {
        let outcome = try await CommandHandler(store: store, decider: Key.self).handle(
            .issue(issue.profile(keyID: secret.keyID, secretSHA256: KeySecret.sha256(secret.text)), now: clock.now()),
            tenant: issue.tenant, stream: Self.stream(secret), metadata: RequestMetadata(request, context).metadata)
        guard let append = outcome.append else { throw APIError(.conflict, "conflict", "Conflict", detail: "key exists") }
        // The key authenticates once the keys read model has it: wait for that, briefly.
        try? await consistency.wait(for: "keys", toReach: append.lastCursor)
        return Self.response(issue, secret: secret, version: outcome.version, position: append.lastCursor)
    }

    private static func mayBeConcurrentRetry(_ error: any Error) -> Bool {
        if case .alreadyIssued = error as? KeyError { return true }
        guard let error = error as? EventStoreError else { return false }
        return error.code == .wrongExpectedVersion || error.code == .eventIDConflict
    }

    static func stream(_ secret: KeySecret) -> String { "\(Key.category)-\(secret.keyID)" }

    static func response(_ issue: Issue, secret: KeySecret, version: Int64, position: Cursor,
                         replayed: Bool = false) -> EditedResponse<IssuedKey> {
        var headers: HTTPFields = [.eTag: "\"\(version)\"", .eventloomPosition: position.description]
        if replayed { headers[.idempotentReplayed] = "true" }
        return EditedResponse(
            status: .created, headers: headers,
            response: IssuedKey(id: secret.keyID, tenant: issue.tenant, name: issue.name,
                                roles: issue.roles.sorted().map(\.rawValue), secret: secret.text,
                                streamVersion: version, position: position.description))
    }
}
