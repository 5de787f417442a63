import Foundation

extension Lock {
    /// Waiters that gave up by an event's time leave the queue with it.
    public static func evolve(_ state: LockState, _ event: LockEvent) -> LockState {
        var state = state
        state.isKnown = true
        switch event {
        case .acquired(let grant):
            state.grant = grant
            state.lastToken = max(state.lastToken, grant.token)
            state.waiters.removeAll { $0.id == grant.waiterID }
        case .renewed(let token, _, _, let expiresAt):
            if state.grant?.token == token { state.grant?.expiresAt = expiresAt }
        case .released(let token, _, _), .forceReleased(let token, _, _, _, _), .expired(let token, _, _):
            if state.grant?.token == token { state.grant = nil }
        case .queued(let waiter):
            state.waiters.append(waiter)
        case .leftQueue(let waiterID, _, _):
            state.waiters.removeAll { $0.id == waiterID }
        }
        state.waiters.removeAll { $0.giveUpAt <= event.time }
        return state
    }
}

extension LockEvent {
    /// When it happened.
    public var time: Date {
        switch self {
        case .acquired(let grant): grant.since
        case .renewed(_, _, let at, _), .released(_, _, let at), .forceReleased(_, _, _, _, let at), .expired(_, _, let at),
             .leftQueue(_, _, let at):
            at
        case .queued(let waiter): waiter.queuedAt
        }
    }
}
