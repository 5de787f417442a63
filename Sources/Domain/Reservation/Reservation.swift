/// A hold on a chain of budgets for one upstream call, from reservation to settlement.
/// Stream: `reservation-<reservation id>`, in the budget's tenant. Its budget-side
/// events are decided with it by ``Quota`` and appended in the same transaction.
public enum Reservation: Decider {
    public typealias Command = ReservationCommand
    public typealias Event = ReservationEvent
    public typealias State = ReservationState

    public static let category = "reservation"
    public static let initialState = ReservationState.none

    /// The stream of reservation `reservationID`.
    public static func stream(_ reservationID: String) -> String { "\(category)-\(reservationID)" }
}
