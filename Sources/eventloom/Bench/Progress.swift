import Foundation
import Synchronization

/// Counts appended events and prints a progress line to standard error.
final class Progress: Sendable {
    private let done = Atomic<Int>(0)
    private let total: Int
    private let start = ContinuousClock.now

    init(total: Int) {
        self.total = total
    }

    func add(_ count: Int) {
        done.add(count, ordering: .relaxed)
    }

    /// Prints the line every `interval` until cancelled.
    func report(every interval: Duration) async {
        while (try? await Task.sleep(for: interval)) != nil {
            print(line(), terminator: "")
        }
    }

    func finish() {
        print(line() + "\n", terminator: "")
    }

    private func line() -> String {
        let count = done.load(ordering: .relaxed)
        let rate = Double(count) / start.duration(to: .now).seconds
        return String(format: "\r  %d / %d events, %.0f events/s   ", count, total, rate)
    }

    private func print(_ text: String, terminator: String) {
        FileHandle.standardError.write(Data((text + terminator).utf8))
    }
}
