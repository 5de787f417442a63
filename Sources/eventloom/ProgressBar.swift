import Foundation

/// A progress line on standard error: a bar on a terminal, redrawn in place; otherwise a
/// plain line every five seconds (for logs).
struct ProgressBar {
    let label: String
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var samples: [(ContinuousClock.Instant, Int64)] = []
    private var lastPlainLine: ContinuousClock.Instant?

    init(label: String) {
        self.label = label
    }

    mutating func update(applied: Int64, total: Int64) {
        let now = ContinuousClock.now
        samples.append((now, applied))
        samples.removeAll { now - $0.0 > .seconds(10) }
        let line = Self.line(label: label, applied: applied, total: total, rate: rate)
        if isTerminal {
            FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
        } else if lastPlainLine.map({ now - $0 >= .seconds(5) }) ?? true {
            lastPlainLine = now
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// Events per second over the last ten seconds.
    private var rate: Double {
        guard let first = samples.first, let last = samples.last, last.0 > first.0 else { return 0 }
        return Double(last.1 - first.1) / ((last.0 - first.0) / .seconds(1))
    }

    static func line(label: String, applied: Int64, total: Int64, rate: Double) -> String {
        let fraction = total > 0 ? min(Double(applied) / Double(total), 1) : 0
        let filled = Int(fraction * 30)
        var line = "\(label) [" + String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
            + "] \(Int(fraction * 100))% \(applied)/\(total) events, \(Int(rate)) events/s"
        if rate > 0 {
            line += ", ETA \(Int((Double(max(total - applied, 0)) / rate).rounded(.up))) s"
        }
        return line
    }
}
