import Domain
import EventStore
import Foundation
import Hummingbird

/// `POST /v1/keys`: issue an API key. The system admin issues keys for any tenant; a
/// tenant's admin for its own tenant. The secret is in the response, and nowhere else.
struct KeysController {
    let store: EventStore
    let consistency: Consistency
    let maximumBodySize: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/keys") { request, context in try await issue(request, context) }
    }

    struct IssueKey: Decodable {
        let tenant: String?
        let name: String
        let roles: [String]
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

    private func issue(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<IssuedKey> {
        let caller = try context.requireCaller()
        try caller.require(.admin)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(IssueKey.self)
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
        let secret = KeySecret.generate()
        let stream = "\(Key.category)-\(secret.keyID)"
        let outcome = try await CommandHandler(store: store, decider: Key.self).handle(
            .issue(keyID: secret.keyID, name: body.name, roles: roles, secretSHA256: KeySecret.sha256(secret.text), now: Date()),
            tenant: tenant, stream: stream, metadata: RequestMetadata(request, context).metadata)
        guard let append = outcome.append else { throw APIError(.conflict, "conflict", "Conflict", detail: "key exists") }
        // The key authenticates once the keys read model has it: wait for that, briefly.
        try? await consistency.wait(for: "keys", toReach: append.lastCursor)
        return EditedResponse(
            status: .created,
            headers: [.eTag: "\"\(outcome.version)\"", .eventloomPosition: append.lastCursor.description],
            response: IssuedKey(id: secret.keyID, tenant: tenant, name: body.name, roles: roles.sorted().map(\.rawValue),
                                secret: secret.text, streamVersion: outcome.version, position: append.lastCursor.description))
    }
}
