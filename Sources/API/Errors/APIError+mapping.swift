import Foundation
import Domain
import EventStore
import Hummingbird
import Logging
import Projections

extension APIError {
    /// The one place where failures become HTTP problems. Database details never reach a
    /// client: they are logged, and the client gets the status and a safe detail. `now`
    /// (the injected clock's) is what a `Retry-After` counts from.
    init(mapping error: any Error, logger: Logger, now: Date) {
        switch error {
        case let error as APIError: self = error
        case let error as HTTPError: self = Self.fromHTTP(error)
        case let error as DecodingError: self = Self.fromDecoding(error)
        case let error as EventStoreError: self = Self.fromStore(error, logger: logger)
        case let error as ProjectionError: self = Self.fromProjection(error)
        case let error as KeyError: self = Self.fromKey(error)
        case let error as BudgetError: self = Self.fromBudget(error, now: now)
        case let error as ReservationError: self = Self.fromReservation(error)
        case let error as PriceListError: self = Self.fromPriceList(error)
        case let error as SessionError: self = Self.fromSession(error)
        case let error as LockError: self = Self.fromLock(error, now: now)
        case let error as SubjectError: self = Self.fromSubject(error)
        case let error as DocumentError: self = Self.fromDocument(error)
        case let error as SearchIndexError: self = Self.fromSearchIndex(error)
        case let error as IngestionTaskError: self = Self.fromIngestionTask(error, now: now)
        case let error as ChannelError: self = Self.fromChannel(error, now: now)
        case let error as RateLimitsError: self = Self.fromRateLimits(error)
        case let error as RateRefusal: self = Self.rateLimited(error, now: now)
        default:
            logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            self = APIError(.internalServerError, "internal", "Internal Server Error",
                            detail: "the server failed to answer; the error is in its log")
        }
    }

    private static func fromHTTP(_ error: HTTPError) -> APIError {
        switch error.status {
        case .notFound: .notFound(error.body ?? "no such route")
        case .contentTooLarge: APIError(.contentTooLarge, "body-too-large", "Request body too large",
                                        detail: error.body ?? "the request body is over the limit")
        case .unsupportedMediaType: APIError(.unsupportedMediaType, "unsupported-media-type", "Unsupported Media Type",
                                             detail: error.body ?? "send application/json")
        default: APIError(error.status, "http-\(error.status.code)", error.status.reasonPhrase,
                          detail: error.body ?? error.status.reasonPhrase)
        }
    }

    private static func fromStore(_ error: EventStoreError, logger: Logger) -> APIError {
        switch error.code {
        case .invalidInput: return .invalid(error.stream ?? "request", error.message)
        case .wrongExpectedVersion:
            return APIError(.preconditionFailed, "stale-version", "Stale version", detail: error.message)
        case .eventIDConflict:
            return APIError(.unprocessableContent, "idempotency-conflict", "Idempotency conflict", detail: error.message)
        case .unavailable:
            logger.warning("database unavailable", metadata: ["error": "\(String(reflecting: error))"])
            var problem = APIError(.serviceUnavailable, "unavailable", "Service Unavailable",
                                   detail: "the database is unavailable; retry shortly")
            problem.headers[.retryAfter] = "1"
            return problem
        case .readModelRebuilding:
            var problem = APIError(.serviceUnavailable, "read-model-rebuilding", "Read model rebuilding",
                                   detail: "this read model is being rebuilt for the server's version; it answers again once the rebuild is swapped in")
            problem.headers[.retryAfter] = "30"
            return problem
        case .subjectErased:
            return APIError(.gone, "subject-erased", "Data subject erased", detail: error.message)
        case .concurrentChange:
            return APIError(.conflict, "concurrent-change", "Concurrent change", detail: error.message)
        case .timedOut:
            logger.warning("query timed out", metadata: ["error": "\(String(reflecting: error))"])
            return APIError(.serviceUnavailable, "timeout", "Timed out",
                            detail: "the database cancelled the statement (time limit reached); a narrower query may pass")
        default:
            logger.error("store failure", metadata: ["error": "\(String(reflecting: error))"])
            return APIError(.internalServerError, "internal", "Internal Server Error",
                            detail: "the server failed to answer; the error is in its log")
        }
    }

    private static func fromProjection(_ error: ProjectionError) -> APIError {
        switch error {
        case .unknownProjection(let name): .notFound("no projection named \(name)")
        case .invalidName(let name): .invalid("name", "\(name) is not a projection name")
        case .checkpointMoved: APIError(.conflict, "conflict", "Conflict", detail: "\(error)")
        case .unknownEventTypes:
            APIError(.internalServerError, "internal", "Internal Server Error", detail: "a read model is misconfigured: \(error)")
        }
    }
}
