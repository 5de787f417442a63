import Domain
import EventStore
import Logging
import ServiceLifecycle
import Synchronization

/// Wakes the requests of this process that wait on a lock, when that lock's stream
/// changes: at once for a change this process wrote (``wake(tenant:stream:)``), and through
/// the live log for one another process wrote. Only watched locks have an entry, so it
/// is bounded by the waiting requests.
final class LockWatch: Service, Sendable {
    private struct Key: Hashable {
        let tenant: String
        let stream: String
    }

    private struct Entry {
        var watchers: Int
        let wakeups: Wakeups
    }

    private let live: LiveLog
    private let logger: Logger
    private let entries = Mutex<[Key: Entry]>([:])

    init(live: LiveLog, logger: Logger) {
        self.live = live
        self.logger = logger
    }

    /// Runs `body` with the wake-ups of `stream`, registered before `body` starts: a change
    /// written after that wakes it even if `body` has not begun to wait.
    func watching<T: Sendable>(tenant: String, stream: String, _ body: (Wakeups) async throws -> T) async throws -> T {
        let key = Key(tenant: tenant, stream: stream)
        let wakeups = entries.withLock { entries in
            let entry = entries[key] ?? Entry(watchers: 0, wakeups: Wakeups())
            entries[key] = Entry(watchers: entry.watchers + 1, wakeups: entry.wakeups)
            return entry.wakeups
        }
        defer {
            entries.withLock { entries in
                guard let entry = entries[key] else { return }
                if entry.watchers <= 1 { entries[key] = nil } else { entries[key]?.watchers -= 1 }
            }
        }
        return try await body(wakeups)
    }

    /// Wakes whoever watches `stream`.
    func wake(tenant: String, stream: String) {
        entries.withLock { $0[Key(tenant: tenant, stream: stream)]?.wakeups }?.wakeAll()
    }

    /// Follows every lock stream of the live log and wakes their watchers; a follower cut
    /// off (too far behind) wakes every watcher, which then reads its lock afresh.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let (subscriber, _) = self.live.subscribe(filter: LogFilter(category: Lock.category), streamID: nil) {}
                await self.follow(subscriber)
                self.live.unsubscribe(subscriber)
                for wakeups in self.entries.withLock({ $0.values.map(\.wakeups) }) { wakeups.wakeAll() }
                if !Task.isCancelled { try? await Task.sleep(for: .milliseconds(100)) }
            }
        }
    }

    private func follow(_ subscriber: LiveSubscriber) async {
        while !Task.isCancelled {
            switch await subscriber.next() {
            case .chunks(let chunks):
                for chunk in chunks { for event in chunk.events { wake(tenant: event.tenant, stream: event.stream) } }
            case .heartbeat:
                continue
            case .ended:
                return
            }
        }
    }
}
