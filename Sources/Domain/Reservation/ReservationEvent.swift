import Foundation

/// What happened to a reservation.
public enum ReservationEvent: Sendable, Hashable {
    /// The reservation was granted and its amount held on every budget of its chain.
    case opened(ReservationGrant)
    /// The reservation was settled with the actual usage.
    case settled(Settlement)
    /// The caller gave the reservation back unused; `refunded` returned to the budgets.
    case released(reservationID: String, refunded: Amount, at: Date)
    /// The reservation outlived its time to live; `refunded` returned to the budgets.
    case expired(reservationID: String, refunded: Amount, at: Date)
}
