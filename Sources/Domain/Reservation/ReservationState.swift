import Foundation

/// A reservation not yet made, open, or closed one of three ways.
public enum ReservationState: Sendable, Hashable, Codable {
    case none
    case open(ReservationGrant)
    case settled(ReservationGrant, Settlement)
    case released(ReservationGrant, at: Date)
    case expired(ReservationGrant, at: Date)

    /// The grant, once the reservation exists.
    public var grant: ReservationGrant? {
        switch self {
        case .none: nil
        case .open(let grant), .settled(let grant, _), .released(let grant, _), .expired(let grant, _): grant
        }
    }

    /// How it was settled, once it is.
    public var settlement: Settlement? {
        if case .settled(_, let settlement) = self { return settlement }
        return nil
    }

    /// "open", "settled", "released" or "expired"; nil before the reservation exists.
    public var status: String? {
        switch self {
        case .none: nil
        case .open: "open"
        case .settled: "settled"
        case .released: "released"
        case .expired: "expired"
        }
    }
}
