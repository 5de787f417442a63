import Domain
import EventStore
import Foundation
import Hummingbird

extension KeysController {
    /// The first response to an idempotent issue, if that key exists: the same body, or a
    /// 422 when the retry asks for another name or other roles.
    func previous(_ issue: Issue, secret: KeySecret) async throws -> EditedResponse<IssuedKey>? {
        let events = try await store.readStream(tenant: issue.tenant, stream: Self.stream(secret), limit: 100)
        guard let first = events.first else { return nil }
        guard case .issued(let profile, _) = try first.decode(as: KeyEvent.self),
              profile.secretSHA256 == KeySecret.sha256(secret.text) else {
            throw APIError(.conflict, "conflict", "Conflict", detail: "key \(secret.keyID) exists and cannot be issued again")
        }
        guard profile == issue.profile(keyID: secret.keyID, secretSHA256: profile.secretSHA256) else {
            throw APIError(.unprocessableContent, "idempotency-conflict", "Idempotency conflict",
                           detail: "this Idempotency-Key was used for another request body")
        }
        guard !events.contains(where: { $0.type == KeyEvent.Kind.revoked.name }) else {
            throw APIError(.conflict, "key-revoked", "Key revoked",
                           detail: "the key this Idempotency-Key issued has been revoked; use another Idempotency-Key")
        }
        // As for a first issue: the key authenticates once the keys read model has it.
        try? await consistency.wait(for: "keys", toReach: first.cursor)
        return Self.response(issue, secret: secret, version: first.streamVersion, position: first.cursor, replayed: true)
    }
}

/// An `Idempotency-Key` header: 1 to 255 visible ASCII characters.
struct IdempotencyKey {
    let value: String

    /// nil without the header. - Throws: ``APIError`` 400 for a malformed one.
    init?(_ request: Request) throws {
        guard let value = request.headers[.idempotencyKey] else { return nil }
        guard (1...255).contains(value.utf8.count), value.utf8.allSatisfy({ (33...126).contains($0) }) else {
            throw APIError.invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters")
        }
        self.value = value
    }
}
