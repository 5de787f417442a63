import Foundation

extension Date {
    /// The whole microseconds since 1970, rounded to the nearest: a `Double` holds a time of
    /// this era to about 0.25 µs, so a time the log kept in microseconds comes back exactly
    /// (truncating, as a plain conversion does, can lose one).
    public var unixMicros: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }
}
