import Foundation

extension Reservation {
    public static func evolve(_ state: ReservationState, _ event: ReservationEvent) -> ReservationState {
        switch (state, event) {
        case (.none, .opened(let grant)):
            .open(grant)
        case (.open(let grant), .settled(let settlement)), (.expired(let grant, _), .settled(let settlement)):
            .settled(grant, settlement)
        case (.open(let grant), .released(_, _, let at)):
            .released(grant, at: at)
        case (.open(let grant), .expired(_, _, let at)):
            .expired(grant, at: at)
        default:
            state
        }
    }
}
