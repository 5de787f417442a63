import Logging

/// A rebuild's progress: events applied, the rate and the time left, for logs and bars.
public struct RebuildProgress: Sendable {
    public private(set) var applied: Int64
    public let total: Int64
    private let start = ContinuousClock.now
    private let startApplied: Int64
    private let interval: Duration
    private var lastReport = ContinuousClock.now

    public init(applied: Int64, total: Int64, interval: Duration) {
        self.applied = applied
        self.startApplied = applied
        self.total = total
        self.interval = interval
    }

    /// Events per second since this process took the rebuild over.
    public var rate: Double {
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        return seconds > 0 ? Double(applied - startApplied) / seconds : 0
    }

    /// Seconds left at the current rate; nil before there is a rate.
    public var secondsLeft: Double? {
        rate > 0 ? Double(max(total - applied, 0)) / rate : nil
    }

    /// Counts `count` more events; returns log metadata when a report is due.
    public mutating func record(_ count: Int) -> Logger.Metadata? {
        applied += Int64(count)
        guard ContinuousClock.now - lastReport >= interval else { return nil }
        lastReport = .now
        return summary()
    }

    public func summary() -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "applied": "\(applied)", "total": "\(total)", "events_per_second": "\(Int(rate))"]
        if let secondsLeft { metadata["eta_seconds"] = "\(Int(secondsLeft.rounded(.up)))" }
        return metadata
    }
}
