import Domain
import Foundation
import Hummingbird

extension APIError {
    static func fromChannel(_ error: ChannelError, now: Date) -> APIError {
        switch error {
        case .invalid(let field, let reason): return .invalid(field, reason)
        case .unknown: return .notFound("no such channel")
        case .exists: return APIError(.conflict, "conflict", "Conflict", detail: "the channel exists with another spec: change it with PUT")
        case .deleted: return APIError(.gone, "channel-deleted", "Channel deleted", detail: "the channel was deleted")
        case .unknownKey(let id): return .notFound("the channel has no key \(id)")
        case .keyExists(let id):
            return APIError(.conflict, "conflict", "Conflict", detail: "the channel has a key \(id) already, with another secret")
        case .keyStatus(let id, let status):
            return APIError(.conflict, "key-status", "Key status", detail: "key \(id) is \(status.rawValue): it cannot change so")
        case .tooManyKeys(let limit):
            return APIError(.conflict, "too-many-keys", "Too many keys", detail: "the channel holds \(limit) keys already (retired ones included)")
        case .disabled:
            return APIError(.conflict, "channel-disabled", "Channel disabled", detail: "the channel is disabled")
        case .noProbeSlot(let model, let until):
            var problem = APIError(.conflict, "no-probe-slot", "No probe slot",
                                   detail: "the breaker of \(model.map { "model \($0) on " } ?? "")the channel has no free probe slot"
                                       + (until.map { "; it cools down until \(APITime.text($0))" } ?? ""))
            if let until { problem.headers[.retryAfter] = retryAfter(until, now: now) }
            return problem
        }
    }
}
