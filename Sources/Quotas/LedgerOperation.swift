import Domain
import EventStore
import Foundation

/// What a budget tree is asked to do, with the budget chain it touches (leaf first).
enum LedgerOperation: Sendable {
    case reserve(ReserveRequest, chain: [String])
    case settle(reservationID: String, SettleRequest, chain: [String])
    case release(reservationID: String, now: Date, chain: [String])
    case expire(reservationID: String, now: Date, chain: [String])

    var reservationID: String {
        switch self {
        case .reserve(let request, _): request.reservationID
        case .settle(let id, _, _), .release(let id, _, _), .expire(let id, _, _): id
        }
    }

    var chain: [String] {
        switch self {
        case .reserve(_, let chain), .settle(_, _, let chain), .release(_, _, let chain), .expire(_, _, let chain): chain
        }
    }

    var isReserve: Bool {
        if case .reserve = self { return true }
        return false
    }

    /// The events `decide` gives for the reservation in `reservation` on `chain`.
    func decide(reservation: ReservationState, chain: [BudgetState]) throws -> QuotaDecision {
        switch self {
        case .reserve(let request, _): try Quota.reserve(request, reservation: reservation, chain: chain)
        case .settle(_, let request, _): try Quota.settle(request, reservation: reservation, chain: chain)
        case .release(_, let now, _): try Quota.release(now: now, reservation: reservation, chain: chain)
        case .expire(_, let now, _): try Quota.expire(now: now, reservation: reservation, chain: chain)
        }
    }
}

/// What the ledger did with one operation.
public struct LedgerResult: Sendable {
    /// The reservation after the operation.
    public let reservation: ReservationState
    /// The reservation stream's version after the operation.
    public let version: Int64
    /// Where the operation's last event was written; nil when it wrote nothing (a retry,
    /// or nothing due).
    public let position: Cursor?
}
