import EventStore
import Foundation
import Synchronization

/// A clock a test moves by hand: time-dependent behaviour is driven by it instead of by
/// sleeping on the wall clock.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    /// The clock to inject (``EventStore/WallClock``).
    public var clock: WallClock { WallClock { [self] in current.withLock { $0 } } }

    public var now: Date { current.withLock { $0 } }

    public func advance(by interval: TimeInterval) {
        current.withLock { $0 += interval }
    }
}
