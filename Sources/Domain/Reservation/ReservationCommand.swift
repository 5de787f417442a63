import Foundation

/// What a reservation is asked to do; amounts come computed from ``Quota``.
public enum ReservationCommand: Sendable, Hashable {
    case open(ReservationGrant)
    case settle(Settlement)
    case release(now: Date)
    case expire(now: Date)
}
