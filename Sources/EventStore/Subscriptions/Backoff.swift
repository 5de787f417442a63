import PostgresNIO

/// Exponential backoff between retries: 100 ms doubling up to `maximum`.
public struct Backoff: Sendable {
    public private(set) var attempts = 0
    public let maximum: Duration

    /// The longest wait between attempts to reach a database that went away: reconnecting
    /// costs little, and every reader must catch up within seconds of its return.
    public static let reconnectInterval: Duration = .seconds(1)

    public init(maximum: Duration = .seconds(5)) {
        self.maximum = maximum
    }

    public mutating func next() -> Duration {
        defer { attempts += 1 }
        return min(.milliseconds(100) * (1 << min(attempts, 16)), maximum)
    }

    /// The wait before the next attempt after `error`: at most ``reconnectInterval`` when
    /// the database was lost, up to `maximum` for anything else.
    public mutating func next(after error: any Error) -> Duration {
        let delay = next()
        return Self.isDatabaseLost(error) ? min(delay, Self.reconnectInterval) : delay
    }

    public mutating func reset() {
        attempts = 0
    }

    /// Whether `error` means the database could not be reached or the connection was lost.
    public static func isDatabaseLost(_ error: any Error) -> Bool {
        if let error = error as? EventStoreError { return error.code == .unavailable }
        if let error = error as? PSQLError, case .unavailable = DatabaseFailure(error) { return true }
        return false
    }
}
