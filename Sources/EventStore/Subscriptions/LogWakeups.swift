import Synchronization

/// Fans "the log may have advanced" out to every subscriber of this process.
final class LogWakeups: Sendable {
    private struct Waiters {
        var nextID = 0
        var continuations: [Int: AsyncStream<Void>.Continuation] = [:]
    }

    private let waiters = Mutex(Waiters())

    /// A stream that yields after each wake-up; wake-ups that arrive while nobody reads
    /// it fold into one.
    func stream() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = waiters.withLock { waiters in
            defer { waiters.nextID += 1 }
            waiters.continuations[waiters.nextID] = continuation
            return waiters.nextID
        }
        continuation.onTermination = { [weak self] _ in
            self?.waiters.withLock { _ = $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    func wakeAll() {
        let continuations = waiters.withLock { Array($0.continuations.values) }
        for continuation in continuations { continuation.yield() }
    }
}
