import Domain
import Hummingbird

/// One subject's limits as the API shows them.
struct RateLimitView: ResponseEncodable, Equatable {
    let scope: RateScope
    let subject: String
    let rpm: Int?
    let tpm: Int?
    let concurrent: Int?
    /// The limits stream's version (on a single limit's answer).
    let streamVersion: Int64?

    init(scope: RateScope, subject: String, limit: RateLimit, streamVersion: Int64?) {
        self.scope = scope
        self.subject = subject
        rpm = limit.rpm
        tpm = limit.tpm
        concurrent = limit.concurrent
        self.streamVersion = streamVersion
    }

    /// Where a page that ends with it continues: `<scope>/<subject>`.
    var cursor: String { scope.rawValue + "/" + subject }
}

/// A page of `GET /v1/rate-limits`.
struct RateLimitsPage: ResponseEncodable, Equatable {
    let limits: [RateLimitView]
    /// The `after` of the next page; nil on the last.
    let next: String?
    let streamVersion: Int64
}
