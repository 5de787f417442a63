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

    private static func lock(_ state: LockState) -> [String: Any] {
        switch state {
        case .free: ["status": "free"]
        case .held(let holder, let until): ["status": "held", "holder": holder, "until": time(until)]
        }
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
