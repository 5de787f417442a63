import Foundation

extension Reservation {
    public static func decide(_ command: ReservationCommand, _ state: ReservationState) throws -> [ReservationEvent] {
        switch command {
        case .open(let grant):
            return try open(grant, state)
        case .settle(let settlement):
            return try settle(settlement, state)
        case .release(let now):
            guard case .open(let grant) = state else { return try closedOrMissing(state, already: "released") }
            return [.released(reservationID: grant.reservationID, refunded: grant.amount, at: now)]
        case .expire(let now):
            guard case .open(let grant) = state else { return try closedOrMissing(state, already: "expired", anyClosed: true) }
            return now >= grant.expiresAt ? [.expired(reservationID: grant.reservationID, refunded: grant.amount, at: now)] : []
        }
    }

    private static func open(_ grant: ReservationGrant, _ state: ReservationState) throws -> [ReservationEvent] {
        guard let existing = state.grant else { return [.opened(grant)] }
        throw ReservationError.requestMismatch(reservationID: existing.reservationID)
    }

    private static func settle(_ settlement: Settlement, _ state: ReservationState) throws -> [ReservationEvent] {
        switch state {
        case .open where !settlement.late: return [.settled(settlement)]
        case .expired where settlement.late: return [.settled(settlement)]
        case .settled(_, let earlier) where earlier.outcome == settlement.outcome
            && earlier.upstreamUsage == settlement.upstreamUsage && earlier.localEstimate == settlement.localEstimate:
            return []
        default: return try closedOrMissing(state, already: nil)
        }
    }

    /// `[]` when the reservation is already in the state the command leads to (or, with
    /// `anyClosed`, in any closed state); otherwise the error saying why not.
    private static func closedOrMissing(_ state: ReservationState, already: String?, anyClosed: Bool = false) throws -> [ReservationEvent] {
        guard let status = state.status else { throw ReservationError.notFound }
        if status == already || anyClosed { return [] }
        throw ReservationError.closed(status: status)
    }
}
