import Domain
import Hummingbird

extension APIError {
    static func fromSession(_ error: SessionError) -> APIError {
        switch error {
        case .notStarted: .notFound("no such session")
        case .alreadyStarted:
            APIError(.conflict, "conflict", "Conflict", detail: "the session exists already, with other settings")
        case .deleted:
            APIError(.conflict, "session-deleted", "Session deleted", detail: "the session is deleted; restore it first")
        case .archived:
            APIError(.conflict, "session-archived", "Session archived", detail: "the session is archived; unarchive it first")
        case .unknownMessage(let id): .invalid("message_id", "the session has no message \(id)")
        case .idInUse(let id):
            APIError(.conflict, "id-in-use", "Id in use", detail: "\(id) names another message, summary or share of this session")
        case .unknownShare(let id): .notFound("no share \(id) on this session")
        case .full(let limit, let reason):
            { var problem = APIError(.conflict, "session-full", "Session full", detail: reason)
              problem.extra = ["limit": .string("\(limit)")]
              return problem }()
        case .invalid(let field, let reason): .invalid(field, reason)
        }
    }
}
