import Synchronization

/// Fans "something may have changed" out to every waiter of this process: the log's
/// subscribers (a commit landed), read-your-writes waiters (a checkpoint moved), queued
/// reservations (a budget was given back).
///
/// Two ways to wait: a stream per waiter (``stream()``), or a count of wake-ups to wait
/// past (``wait(after:timeout:)``), which needs no stream and no combinator.
public final class Wakeups: Sendable {
    private struct Waiters {
        var nextID = 0
        var continuations: [Int: AsyncStream<Void>.Continuation] = [:]
        /// How many wake-ups there have been.
        var generation: UInt64 = 0
        /// Tasks in ``wait(after:timeout:)``, by id.
        var sleepers: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Sleepers cancelled before they registered.
        var cancelled: Set<Int> = []
    }

    private let waiters = Mutex(Waiters())

    public init() {}

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

    /// How many wake-ups there have been: pass it to ``wait(after:timeout:)``.
    public var generation: UInt64 { waiters.withLock { $0.generation } }

    /// Returns once there has been a wake-up after the `seen`-th (at once if there already
    /// has), after `timeout`, or when the task is cancelled.
    /// - Returns: the count of wake-ups when it returns.
    @discardableResult
    public func wait(after seen: UInt64, timeout: Duration) async -> UInt64 {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.sleep(after: seen) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        return generation
    }

    private func sleep(after seen: UInt64) async {
        let id = waiters.withLock { waiters in
            defer { waiters.nextID += 1 }
            return waiters.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = waiters.withLock { waiters -> Bool in
                    if waiters.generation > seen || waiters.cancelled.remove(id) != nil { return true }
                    waiters.sleepers[id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let sleeper = waiters.withLock { waiters -> CheckedContinuation<Void, Never>? in
                if let sleeper = waiters.sleepers.removeValue(forKey: id) { return sleeper }
                waiters.cancelled.insert(id)
                return nil
            }
            sleeper?.resume()
        }
        // The handler runs only while the operation does: a mark it left is removed here.
        waiters.withLock { _ = $0.cancelled.remove(id) }
    }

    /// Wakes every waiter and stream, and counts one wake-up.
    public func wakeAll() {
        let (continuations, sleepers) = waiters.withLock { waiters in
            waiters.generation &+= 1
            defer { waiters.sleepers = [:] }
            return (Array(waiters.continuations.values), Array(waiters.sleepers.values))
        }
        for continuation in continuations { continuation.yield() }
        for sleeper in sleepers { sleeper.resume() }
    }
}
