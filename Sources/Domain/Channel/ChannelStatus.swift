import Foundation

/// Whether routing may use a channel at all (its breakers aside).
public enum ChannelStatus: Sendable, Equatable {
    case enabled
    /// An operator disabled it.
    case disabled(by: String, reason: String, at: Date)
    /// Its breaker tripped its policy's `disableAfterTrips` times in a row.
    case autoDisabled(tripsInARow: Int, at: Date)
}
