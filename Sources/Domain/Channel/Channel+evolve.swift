import Foundation

extension Channel {
    /// `state` after `event`; see ``apply(_:to:)``.
    public static func evolve(_ state: ChannelState, _ event: ChannelEvent) -> ChannelState {
        var state = state
        apply(event, to: &state)
        return state
    }

    /// Folds `event` into `state` in place (a channel's state holds its request memory, which
    /// a copy per event would duplicate).
    public static func apply(_ event: ChannelEvent, to state: inout ChannelState) {
        switch event {
        case .created(let id, let spec, _, _):
            state.id = id
            state.spec = spec
        case .updated(let spec, _, _):
            state.update(spec)
        case .enabled:
            if state.resetsBreakersWhenEnabled { state.resetBreakers() }
            state.status = .enabled
        case .disabled(let by, let reason, let at):
            state.status = .disabled(by: by, reason: reason, at: at)
        case .autoDisabled(let trips, let at):
            state.status = .autoDisabled(tripsInARow: trips, at: at)
            state.resetsBreakersWhenEnabled = true
        case .deleted:
            state.isDeleted = true
        case .keyAdded(let key):
            state.keys.append(key)
        case .keyDraining(let id, _, _):
            state.updateKey(id) { $0.status = .draining }
        case .keyRetired(let id, _, _):
            state.updateKey(id) { $0.status = .retired }
        case .keyDisabled(let aside):
            state.updateKey(aside.keyID) {
                $0.asideUntil = aside.until
                $0.asidesInARow = aside.asidesInARow
            }
        case .outcomesRecorded(let outcomes, let at):
            for outcome in outcomes { _ = state.count(outcome, now: at) }
        case .tripped, .halfOpened, .probeClaimed, .recovered:
            if let (model, transition) = event.transition { state.apply(transition, model: model) }
        }
    }
}
