import Crypto
import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// `POST /v1/sessions/{id}/shares` shares a session or one turn of it; `DELETE
/// /v1/sessions/{id}/shares/{share_id}` revokes a link; `GET /v1/sessions/{id}/shares`
/// lists them. `GET /v1/shared/{share_id}` reads a link without an API key: the password
/// (header `Eventloom-Share-Password`) if it has one; a revoked, expired or unknown link is
/// 404, a wrong password 403, and neither says anything of the session.
struct SessionSharesController {
    let store: EventStore
    let writes: SessionWrites
    let database: TenantDatabase
    let secrets: ServerSecrets
    let consistency: Consistency
    let limits = ShareGuard()
    let maximumBodySize: Int
    let clock: WallClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/sessions/:id/shares") { request, context in try await share(request, context) }
        router.get("/v1/sessions/:id/shares") { request, context in try await list(request, context) }
        router.delete("/v1/sessions/:id/shares/:share") { request, context in try await revoke(request, context) }
        router.get("/v1/shared/:share") { request, context in
            try await SharedView.read(request, context, store: store, database: database, consistency: consistency, guard: limits,
                                   clock: clock)
        }
    }

    private func share(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ShareView> {
        let access = try SessionAccess.writing(try context.requireCaller())
        let id = try PathInput(context: context).string("id")
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(ShareBody.self)
        let now = clock.now()
        let shareID = try SessionIDs.new("shr", request: request, scope: "\(access.tenant)\u{0}\(id)", secret: try await secrets.keyDerivation())
        var passwordHash: String?
        if let password = body.password {
            guard (8...SharePassword.maximumLength).contains(password.count) else {
                throw APIError.invalid("password", "must be 8-\(SharePassword.maximumLength) characters")
            }
            if let previous = try await previousHash(shareID, access: access, sessionID: id, password: password) {
                passwordHash = previous
            } else {
                passwordHash = try await SharePassword.hashAside(password)
            }
        }
        let share = SessionShare(shareID: shareID, mode: body.mode ?? .read, messageID: body.messageId,
                                 expiresAt: try APITime.parse(body.expiresAt, field: "expires_at"), passwordHash: passwordHash)
        let outcome = try await SessionIDs.idempotent(derived: SessionIDs.derived(nil, request)) {
            try await writes.run([.share(share, at: now)], sessionID: id, access: access,
                                                      request: request, context: context)
        }
        guard case .started(let record) = outcome.state, let stored = record.shares[shareID] else { throw SessionError.notStarted }
        return WriteResponse.make(ShareView(stored, sessionID: id, views: 0),
                                  status: outcome.append == nil ? .ok : .created, version: outcome.version,
                                  position: outcome.append?.lastCursor, replayed: outcome.append == nil)
    }

    /// A retry (same Idempotency-Key) must record the same hash, though each hash has a new salt.
    private func previousHash(_ shareID: String, access: SessionAccess, sessionID: String, password: String) async throws -> String? {
        guard let state = try? await writes.state(sessionID: sessionID, access: access),
              let stored = state.record.shares[shareID]?.share.passwordHash,
              await SharePassword.matchesAside(password, stored: stored) else { return nil }
        return stored
    }

    private func revoke(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ShareView> {
        let access = try SessionAccess.writing(try context.requireCaller())
        let id = try PathInput(context: context).string("id")
        let shareID = try PathInput(context: context).string("share")
        let now = clock.now()
        let outcome = try await writes.run([.revokeShare(shareID: shareID, at: now)], sessionID: id,
                                                                 access: access, request: request, context: context)
        guard case .started(let record) = outcome.state, let stored = record.shares[shareID] else { throw SessionError.unknownShare(shareID) }
        return WriteResponse.make(ShareView(stored, sessionID: id, views: 0), version: outcome.version, position: outcome.append?.lastCursor)
    }

    private func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try SessionAccess.reading(try context.requireCaller())
        let id = try PathInput(context: context).string("id")
        _ = try await writes.state(sessionID: id, access: access)
        let shares = try await SessionReads(database: database).shares(tenant: access.tenant, sessionID: id)
        let lines = try shares.map { String(decoding: try JSONCoding.encoder.encode($0), as: UTF8.self) }
        return JSONPage.response(JSONPage(items: "shares", lines: lines, next: nil).body)
    }
}

extension ShareView {
    init(_ record: ShareRecord, sessionID: String, views: Int64) {
        let share = record.share
        self.init(id: share.shareID, sessionId: sessionID, mode: share.mode.rawValue, messageId: share.messageID,
                  expiresAt: share.expiresAt.map(APITime.text), passwordProtected: share.passwordHash != nil,
                  sharedAt: APITime.text(record.sharedAt), revokedAt: record.revokedAt.map(APITime.text), views: views, url: "/v1/shared/\(share.shareID)")
    }
}
