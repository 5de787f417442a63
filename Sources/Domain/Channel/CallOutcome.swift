import Foundation

/// What one upstream call did, as the gateway reports it: the request, the channel, key and
/// model it used, the upstream's answer and how long it took.
public struct CallOutcome: Sendable, Hashable {
    /// The gateway's id of the request: an outcome is recorded once per id.
    public var requestID: String
    public var keyID: String
    public var model: String
    /// The upstream's HTTP status; 0 when no answer came (connection refused, reset, timeout).
    public var status: Int
    /// The upstream's error type or code (`insufficient_quota`, `invalid_api_key` …), empty when none.
    public var errorType: String
    /// The upstream's error message, empty when none.
    public var message: String
    public var latencyMs: Int
    public var tokens: Int
    /// Prompt, completion and cached tokens apart, when the gateway knows them.
    public var usage: TokenUsage?
    /// The `Retry-After` the upstream sent, in seconds.
    public var retryAfter: TimeInterval?
    /// When the call ended.
    public var at: Date

    public init(requestID: String, keyID: String, model: String, status: Int, errorType: String = "", message: String = "",
                latencyMs: Int, tokens: Int = 0, usage: TokenUsage? = nil, retryAfter: TimeInterval? = nil, at: Date) {
        self.requestID = requestID
        self.keyID = keyID
        self.model = model
        self.status = status
        self.errorType = errorType
        self.message = message
        self.latencyMs = latencyMs
        self.tokens = tokens
        self.usage = usage
        self.retryAfter = retryAfter
        self.at = at
    }
}
