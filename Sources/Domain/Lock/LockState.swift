import Foundation

/// A lock is free, or held by one holder until its lease runs out.
public enum LockState: Sendable, Equatable {
    case free
    case held(holder: String, until: Date)

    /// The holder at `now`, if the lease has not run out.
    public func holder(at now: Date) -> String? {
        guard case .held(let holder, let until) = self, now < until else { return nil }
        return holder
    }
}
