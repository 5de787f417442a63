import Crypto
import Domain
import EventStore
import Foundation
import Hummingbird

/// Runs session commands for a caller: the session must exist and be visible to the
/// caller (else 404), every command lands at once or none does, `If-Match` guards it.
struct SessionWrites {
    let store: EventStore
    /// The sessions written lately, folded (one per server, shared by its routes); nil: none.
    let cache: StateCache<SessionState>?

    func run(_ commands: [SessionCommand], sessionID: String, access: SessionAccess, request: Request,
             context: AppRequestContext) async throws -> CommandHandler<Session>.Outcome {
        guard SessionValidation.isIdentifier(sessionID) else { throw APIError.notFound("no session \(sessionID)") }
        return try await CommandHandler(store: store, decider: Session.self, cache: cache).handle(
            commands, tenant: access.tenant, stream: Session.stream(sessionID), ifVersion: try WriteResponse.ifMatch(request),
            metadata: RequestMetadata(request, context).metadata,
            check: { try access.requireVisible($0, sessionID: sessionID) })
    }

    /// Starts a session (and its first commands, e.g. tags, or an import's messages).
    func start(_ commands: [SessionCommand], sessionID: String, access: SessionAccess, ownerID: String, request: Request,
               context: AppRequestContext) async throws -> CommandHandler<Session>.Outcome {
        try await CommandHandler(store: store, decider: Session.self, cache: cache).handle(
            commands, tenant: access.tenant, stream: Session.stream(sessionID),
            metadata: RequestMetadata(request, context).metadata,
            check: { state in
                // Another owner's session under this id is "exists already", never a way to read it.
                if case .started(let record) = state, record.ownerID != ownerID { throw SessionError.alreadyStarted }
            })
    }

    /// The session's current state and version, if the caller may see it.
    func state(sessionID: String, access: SessionAccess) async throws -> (record: SessionRecord, version: Int64) {
        guard SessionValidation.isIdentifier(sessionID) else { throw APIError.notFound("no session \(sessionID)") }
        let stream = Session.stream(sessionID)
        let current = try await store.state(of: Session.self, tenant: access.tenant, stream: stream,
                                            from: cache?.state(tenant: access.tenant, stream: stream))
        cache?.keep(current, tenant: access.tenant, stream: stream)
        try access.requireVisible(current.state, sessionID: sessionID)
        guard case .started(let record) = current.state else { throw APIError.notFound("no session \(sessionID)") }
        return (record, current.version)
    }
}

/// Ids for new resources: derived from `Idempotency-Key` (so a retry lands on the same
/// resource) or random. With `secret`, the derivation is an HMAC under it, so nobody who
/// lacks the server's secret can compute the id (share ids are the links' only guard).
enum SessionIDs {
    static func new(_ prefix: String, request: Request, scope: String, secret: SymmetricKey? = nil) throws -> String {
        guard let key = try IdempotencyKey(request) else { return "\(prefix)_\(Hex.random(bytes: 16))" }
        let input = Data("eventloom \(prefix)\u{0}\(scope)\u{0}\(key.value)".utf8)
        let digest: [UInt8] = if let secret { Array(HMAC<SHA256>.authenticationCode(for: input, using: secret)) } else { Array(SHA256.hash(data: input)) }
        return "\(prefix)_\(Hex.encode(digest.prefix(16)))"
    }

    /// Whether an id is derived from the request's `Idempotency-Key` (the body named none).
    static func derived(_ named: String?, _ request: Request) -> Bool {
        named == nil && request.headers[.idempotencyKey] != nil
    }

    /// Runs `body`. With an id derived from `Idempotency-Key`, an id that exists with other
    /// content means the key was used for another request body: 422, as for every write.
    static func idempotent<T>(derived: Bool, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SessionError where derived && error.isIDConflict {
            throw APIError(.unprocessableContent, "idempotency-conflict", "Idempotency conflict",
                           detail: "this Idempotency-Key was used for another request body")
        }
    }
}
