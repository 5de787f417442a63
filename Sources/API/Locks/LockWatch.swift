import Domain
import EventStore
import ServiceLifecycle
import Synchronization

/// Wakes the requests of this process that wait on a lock, when that lock's stream
/// changes: at once, with the lock's new state, for a change this process wrote
/// (``wrote(_:tenant:stream:position:)``), and through the live log for one another
/// process wrote (the waiter then reads the lock). Only watched locks have an entry, so
/// it is bounded by the waiting requests.
final class LockWatch: Service, Sendable {
    private struct Key: Hashable {
        let tenant: String
        let stream: String
    }

    /// The newest state of a lock this process wrote, and where its last event is.
    struct Written: Sendable {
        let folded: FoldedState<LockState>
        let position: Cursor?
    }

    private struct Entry {
        var watchers: Int
        let wakeups: Wakeups
        /// The newest state this process wrote while the lock was watched.
        var written: Written?
        /// The newest version the live log delivered.
        var delivered: Int64 = 0
    }

    private let live: LiveLog
    private let entries = Mutex<[Key: Entry]>([:])

    init(live: LiveLog) {
        self.live = live
    }

    /// Runs `body` with the wake-ups of `stream`, registered before `body` starts: a change
    /// written after that wakes it even if `body` has not begun to wait.
    func watching<T: Sendable>(tenant: String, stream: String, _ body: (Wakeups) async throws -> T) async throws -> T {
        let key = Key(tenant: tenant, stream: stream)
        let wakeups = entries.withLock { entries in
            let entry = entries[key] ?? Entry(watchers: 0, wakeups: Wakeups())
            entries[key] = Entry(watchers: entry.watchers + 1, wakeups: entry.wakeups, written: entry.written,
                                 delivered: entry.delivered)
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

    /// The lock's state as this process last wrote it, unless the live log has since
    /// delivered a newer version (written elsewhere): then nil, and the waiter reads the log.
    func latest(tenant: String, stream: String) -> Written? {
        entries.withLock { entries in
            guard let entry = entries[Key(tenant: tenant, stream: stream)], let written = entry.written,
                  written.folded.version >= entry.delivered else { return nil }
            return written
        }
    }

    /// This process wrote `folded`: wakes the lock's waiters with it.
    func wrote(_ folded: FoldedState<LockState>, tenant: String, stream: String, position: Cursor?) {
        let wakeups = entries.withLock { entries -> Wakeups? in
            let key = Key(tenant: tenant, stream: stream)
            guard var entry = entries[key] else { return nil }
            if (entry.written?.folded.version ?? -1) < folded.version {
                entry.written = Written(folded: folded, position: position)
                entries[key] = entry
            }
            return entry.wakeups
        }
        wakeups?.wakeAll()
    }

    /// The live log delivered version `version` of `stream`.
    private func delivered(tenant: String, stream: String, version: Int64) {
        let wakeups = entries.withLock { entries -> Wakeups? in
            let key = Key(tenant: tenant, stream: stream)
            guard var entry = entries[key] else { return nil }
            entry.delivered = max(entry.delivered, version)
            entries[key] = entry
            return entry.wakeups
        }
        wakeups?.wakeAll()
    }

    /// Follows every lock stream of the live log and wakes their watchers; a follower cut
    /// off (too far behind) wakes every watcher, which then reads its lock afresh.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let (subscriber, _) = self.live.subscribe(filter: LogFilter(category: Lock.category), streams: nil) {}
                await self.follow(subscriber)
                self.live.unsubscribe(subscriber)
                let all = self.entries.withLock { entries in
                    for key in entries.keys { entries[key]?.delivered = .max }
                    return entries.values.map(\.wakeups)
                }
                for wakeups in all { wakeups.wakeAll() }
                if !Task.isCancelled { try? await Task.sleep(for: .milliseconds(100)) }
            }
        }
    }

    private func follow(_ subscriber: LiveSubscriber) async {
        while !Task.isCancelled {
            switch await subscriber.next() {
            case .chunks(let chunks):
                for chunk in chunks {
                    for event in chunk.events {
                        delivered(tenant: event.tenant, stream: event.stream, version: event.streamVersion)
                    }
                }
            case .heartbeat:
                continue
            case .ended:
                return
            }
        }
    }
}
