import Crypto
import Domain
import EventStore
import Foundation
import Hummingbird

/// The body of `POST /v1/budgets/{id}/reservations`.
struct ReservationInput: Decodable {
    let requestId: String?
    let model: String
    let promptTokens: Int64
    let maxCompletionTokens: Int64
    let keyId: String?
    let ttlSeconds: Int64?
    /// How long to wait for budget on a budget that queues (at most its own wait).
    let waitMs: Int64?

    /// How long the request may wait for budget: `wait_ms` (0–60,000), 60 s when absent.
    /// - Throws: ``APIError`` 400 naming `wait_ms` outside that range (nothing is written).
    func maximumWait() throws -> Duration {
        let millis = waitMs ?? OverflowStrategy.maximumWaitMillis
        guard (0...OverflowStrategy.maximumWaitMillis).contains(millis) else {
            throw APIError.invalid("wait_ms", "must be between 0 and \(OverflowStrategy.maximumWaitMillis)")
        }
        return .milliseconds(millis)
    }

    /// The request id: the body's, else the `Idempotency-Key` header.
    /// - Throws: ``APIError`` 400 when there is neither.
    func requestID(_ request: Request) throws -> String {
        guard let id = requestId ?? request.headers[.idempotencyKey] else {
            throw APIError.invalid("request_id", "is required (or send an Idempotency-Key header)")
        }
        return id
    }

    /// The reservation id of request `requestID` in `tenant`: the same request id always
    /// names the same reservation, which makes a retried reservation idempotent.
    static func reservationID(tenant: String, requestID: String) -> String {
        let digest = SHA256.hash(data: Data("reservation\u{0}\(tenant)\u{0}\(requestID)".utf8))
        var bytes = Array(digest.prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80 // version 8: name-based, SHA-256
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return uuid.uuidString.lowercased()
    }
}

/// The body of `POST /v1/reservations/{id}/settle`.
struct SettleInput: Decodable {
    let outcome: String
    let usage: UsageView?
    let localEstimate: UsageView?
    /// The upstream call's outcome, recorded on its channel with the reservation's request id
    /// and model and the usage above, so that a gateway reports once (docs/channels.md).
    let call: CallInput?

    struct CallInput: Decodable {
        let channelId: String
        let keyId: String
        let status: Int
        let errorType: String?
        let message: String?
        let latencyMs: Int
        let retryAfterMs: Int64?
        let at: String?
    }

    /// The call's outcome as a report names it, for the reservation `grant`.
    func callOutcome(of grant: ReservationGrant) -> OutcomeReportInput.OutcomeInput? {
        call.map {
            OutcomeReportInput.OutcomeInput(channelId: $0.channelId, requestId: grant.requestID, keyId: $0.keyId, model: grant.model,
                                            status: $0.status, errorType: $0.errorType, message: $0.message, latencyMs: $0.latencyMs,
                                            tokens: nil, usage: usage, retryAfterMs: $0.retryAfterMs, at: $0.at)
        }
    }

    func request(now: Date) throws -> SettleRequest {
        guard let outcome = StreamOutcome(rawValue: outcome) else {
            throw APIError.invalid("outcome", "must be one of completed, client_aborted, upstream_error, no_usage")
        }
        return SettleRequest(outcome: outcome, upstreamUsage: usage?.usage, localEstimate: localEstimate?.usage, now: now)
    }
}
