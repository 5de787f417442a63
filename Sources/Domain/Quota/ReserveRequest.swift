import Foundation

/// A request to reserve budget for one upstream call, with everything ``Quota`` needs
/// to decide it: ids, prices and the time come in on the request.
public struct ReserveRequest: Sendable, Hashable {
    public var reservationID: String
    public var requestID: String
    public var keyID: String?
    /// The key `keyID` names, as its stream says now; required with a key id.
    public var key: KeyRecord?
    /// The version of the key's stream `key` was read at. The quota ledger appends the
    /// reservation only while the key's stream is still there, so a grant is never decided
    /// on a key state that a committed change (a disabling) has replaced.
    public var keyVersion: Int64?
    public var model: String
    public var promptTokens: Int64
    public var maxCompletionTokens: Int64
    /// The price of `model`, and of every model a degrading budget may grant instead.
    public var prices: [String: AppliedPrice]
    public var ttl: Duration
    public var now: Date

    public init(
        reservationID: String, requestID: String, keyID: String? = nil, key: KeyRecord? = nil, keyVersion: Int64? = nil, model: String,
        promptTokens: Int64, maxCompletionTokens: Int64, prices: [String: AppliedPrice], ttl: Duration = .seconds(600), now: Date
    ) {
        self.reservationID = reservationID
        self.requestID = requestID
        self.keyID = keyID
        self.key = key
        self.keyVersion = keyVersion
        self.model = model
        self.promptTokens = promptTokens
        self.maxCompletionTokens = maxCompletionTokens
        self.prices = prices
        self.ttl = ttl
        self.now = now
    }

    /// The largest prompt or completion a reservation may hold: 10 million tokens.
    public static let maximumTokens: Int64 = 10_000_000
    /// The shortest and longest time to live of a reservation.
    public static let ttlRange: ClosedRange<Duration> = .seconds(1) ... .seconds(86_400)
    /// The longest request id.
    public static let maximumRequestIDLength = 200

    /// True when `grant` answered this same request (a retry).
    func isAnsweredBy(_ grant: ReservationGrant) -> Bool {
        grant.requestID == requestID && grant.keyID == keyID && grant.requestedModel == model
            && grant.promptTokens == promptTokens
            && (grant.maxCompletionTokens == maxCompletionTokens || grant.isDegraded)
    }
}
