/// Exponential backoff between retries: 100 ms doubling up to `maximum`.
struct Backoff: Sendable {
    private(set) var attempts = 0
    let maximum: Duration

    init(maximum: Duration = .seconds(5)) {
        self.maximum = maximum
    }

    mutating func next() -> Duration {
        defer { attempts += 1 }
        return min(.milliseconds(100) * (1 << min(attempts, 16)), maximum)
    }

    mutating func reset() {
        attempts = 0
    }
}
