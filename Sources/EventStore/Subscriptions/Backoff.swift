/// Exponential backoff between retries: 100 ms doubling up to `maximum`.
public struct Backoff: Sendable {
    public private(set) var attempts = 0
    public let maximum: Duration

    public init(maximum: Duration = .seconds(5)) {
        self.maximum = maximum
    }

    public mutating func next() -> Duration {
        defer { attempts += 1 }
        return min(.milliseconds(100) * (1 << min(attempts, 16)), maximum)
    }

    public mutating func reset() {
        attempts = 0
    }
}
