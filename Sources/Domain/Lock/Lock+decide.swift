import Foundation

extension Lock {
    public static func decide(_ command: LockCommand, _ state: LockState) throws -> [LockEvent] {
        switch command {
        case .acquire(let holder, let lease, let now):
            try acquire(holder: holder, lease: lease, now: now, state: state)
        case .release(let holder, let now):
            try release(holder: holder, now: now, state: state)
        }
    }

    private static func acquire(
        holder: String, lease: TimeInterval, now: Date, state: LockState
    ) throws -> [LockEvent] {
        guard !holder.isEmpty else { throw LockError.invalidCommand(reason: "holder is empty") }
        guard lease > 0, lease <= maximumLease else {
            throw LockError.invalidCommand(reason: "lease must be in (0, \(Int(maximumLease))] seconds")
        }
        if let current = state.holder(at: now), current != holder, case .held(_, let until) = state {
            throw LockError.heldByOther(holder: current, until: until)
        }
        return [.acquired(holder: holder, at: now, expiresAt: now.addingTimeInterval(lease))]
    }

    private static func release(holder: String, now: Date, state: LockState) throws -> [LockEvent] {
        switch state.holder(at: now) {
        case nil: return []
        case holder: return [.released(holder: holder, at: now)]
        default: throw LockError.notHolder(holder: holder)
        }
    }
}
