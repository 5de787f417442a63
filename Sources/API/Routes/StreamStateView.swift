import Domain
import EventStore
import Foundation

/// A stream's state as JSON, by the stream's category: each aggregate's decider folds its
/// events (as of a version or a time), and this renders the result.
enum StreamStateView {
    /// The state and the version it is at; nil when no aggregate owns the category.
    static func render(category: String, store: EventStore, tenant: String, stream: String, asOf: AsOf)
        async throws -> (state: [String: Any], version: Int64)?
    {
        switch category {
        case Lock.category:
            let folded = try await store.state(of: Lock.self, tenant: tenant, stream: stream, asOf: asOf)
            return (lock(folded.state), folded.version)
        case Key.category:
            let folded = try await store.state(of: Key.self, tenant: tenant, stream: stream, asOf: asOf)
            return (key(folded.state), folded.version)
        default:
            return nil
        }
    }

    static func time(_ date: Date) -> String { APITime.text(date) }

    /// The grant as recorded (one that ran out shows until its expiry is recorded, with
    /// `expires_at` in the past), the last fencing token and the queue.
    private static func lock(_ state: LockState) -> [String: Any] {
        var view: [String: Any] = ["status": state.grant == nil ? "free" : "held", "last_fencing_token": state.lastToken,
                                   "waiters": state.waiters.map { ["waiter_id": $0.id, "owner": $0.owner] }]
        if let grant = state.grant {
            view["holder"] = grant.owner
            view["fencing_token"] = grant.token
            view["since"] = time(grant.since)
            view["expires_at"] = time(grant.expiresAt)
        }
        return view
    }

    private static func key(_ state: KeyState) -> [String: Any] {
        guard let record = state.record else { return ["status": "none"] }
        var view: [String: Any] = [
            "status": record.status.rawValue, "key_id": record.profile.keyID, "name": record.profile.name,
            "roles": record.profile.roles.map(\.rawValue), "deleted": record.deleted, "issued_at": time(record.issuedAt),
            "changed_at": time(record.changedAt),
        ]
        if let expiresAt = record.profile.expiresAt { view["expires_at"] = time(expiresAt) }
        return view
    }
}
