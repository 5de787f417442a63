import Foundation

/// A request a limit refused: which one, and when to try again.
public struct RateRefusal: Error, Sendable, Hashable {
    public enum Kind: String, Sendable {
        case rpm, tpm, concurrent
    }

    public var scope: String
    public var kind: Kind
    /// The limit that was reached.
    public var limit: Int
    /// The start of the next window (rpm, tpm), or a moment later (concurrent).
    public var retryAt: Date
    /// The request alone asks more than the limit (tpm): trying again cannot help.
    public var exceedsLimit: Bool = false
}
