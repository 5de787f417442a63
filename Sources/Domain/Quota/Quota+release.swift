import Foundation

extension Quota {
    /// Gives an open reservation's hold back to every budget of its chain. Releasing a
    /// released reservation changes nothing.
    /// - Throws: ``ReservationError/notFound``, or ``ReservationError/closed(status:)``
    ///   when it was settled or expired.
    public static func release(
        now: Date, reservation: ReservationState, chain: [BudgetState]
    ) throws -> QuotaDecision {
        try refund(.release(now: now), reason: .released, now: now, reservation: reservation, chain: chain)
    }

    /// Expires an open reservation past its time to live and refunds its hold; changes
    /// nothing for a closed reservation or one not yet due.
    /// - Throws: ``ReservationError/notFound``.
    public static func expire(
        now: Date, reservation: ReservationState, chain: [BudgetState]
    ) throws -> QuotaDecision {
        try refund(.expire(now: now), reason: .expired, now: now, reservation: reservation, chain: chain)
    }

    private static func refund(
        _ command: ReservationCommand, reason: RefundReason, now: Date, reservation: ReservationState, chain: [BudgetState]
    ) throws -> QuotaDecision {
        let events = try Reservation.decide(command, reservation)
        guard !events.isEmpty, let grant = reservation.grant else {
            return QuotaDecision(reservation: [], budgets: [], state: reservation)
        }
        try validateChain(chain, holding: grant)
        let budgets = try decideEach(chain) { index, _ in
            .refund(reservationID: grant.reservationID, windowStart: grant.holds[index].windowStart,
                    held: grant.amount, reason: reason, now: now)
        }
        return QuotaDecision(reservation: events, budgets: budgets, state: events.reduce(reservation, Reservation.evolve))
    }
}
