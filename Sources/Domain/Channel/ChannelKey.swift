import Foundation

/// One upstream API key of a channel. Operators rotate keys without downtime: a new key is
/// added (active), the old one drained (no new routes; calls already made may report), then
/// retired. The upstream's refusal sets an active key aside for a while on its own.
public struct ChannelKey: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case active
        case draining
        case retired
    }

    public var id: String
    public var secret: ChannelSecret
    public var status: Status
    public var addedBy: String
    public var addedAt: Date
    /// Set aside by the upstream's refusal until then (nil: never, or not since it last worked).
    public var asideUntil: Date?
    /// Times in a row it was set aside: each doubles the next time aside; a success resets it.
    public var asidesInARow: Int

    public init(id: String, secret: ChannelSecret, status: Status = .active, addedBy: String, addedAt: Date,
                asideUntil: Date? = nil, asidesInARow: Int = 0) {
        self.id = id
        self.secret = secret
        self.status = status
        self.addedBy = addedBy
        self.addedAt = addedAt
        self.asideUntil = asideUntil
        self.asidesInARow = asidesInARow
    }

    /// Whether routing may hand it out at `now`: active and not set aside.
    public func isUsable(at now: Date) -> Bool {
        status == .active && (asideUntil.map { now >= $0 } ?? true)
    }
}
