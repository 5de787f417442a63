import Foundation

/// The time every decision that depends on time is made at: the system's clock in
/// production, one a test moves in tests. Inject it; never read `Date()` where a decision
/// (expiry, a window, a TTL) depends on it.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    /// The system's clock.
    public static let system = WallClock { Date() }

    /// The current time, to the microsecond (the log keeps microseconds).
    public func now() -> Date {
        let date = read()
        return Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1_000_000).rounded(.down) / 1_000_000)
    }

    /// The current time in microseconds since 1970.
    public func micros() -> Int64 { now().unixMicros }
}
