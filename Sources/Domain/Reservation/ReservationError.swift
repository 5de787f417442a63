import Foundation

/// The rules a reservation command can break.
public enum ReservationError: Error, Equatable, Sendable {
    /// No reservation with this id.
    case notFound
    /// The request id was used before for another reservation request.
    case requestMismatch(reservationID: String)
    /// The reservation is already settled, released or expired.
    case closed(status: String)
    /// The key the reservation is made with cannot be used: disabled, expired, revoked or deleted.
    case keyNotUsable(keyID: String, status: String)
    /// The key's allow-list does not name the model.
    case modelNotAllowed(model: String)
    /// The request breaks a rule on tokens, models, prices or times.
    case invalidRequest(reason: String)
}
