import Synchronization

/// The newest checkpoint each projection announced, by this process's runners or in a
/// `NOTIFY` from another process's. Read-your-writes waiters compare their cursor with it
/// in memory, so a moved checkpoint costs no query per waiter.
///
/// A value is always a checkpoint that was committed; a later announcement replaces it
/// (a rebuild may swap in a lower one). Bounded: names past ``maximumNames`` are not kept.
final class CheckpointBoard: Sendable {
    static let maximumNames = 256
    private let cursors = Mutex<[String: Cursor]>([:])
    private let listenings = Atomic<UInt64>(0)

    /// How many times this process's listener has begun listening. Announcements sent
    /// while it was not may be missing from the board: a waiter that sees this change
    /// reads the checkpoint itself once.
    var epoch: UInt64 { listenings.load(ordering: .acquiring) }

    /// Called by the listener each time it begins listening.
    func beganListening() {
        listenings.add(1, ordering: .releasing)
    }

    func record(_ name: String, at cursor: Cursor) {
        cursors.withLock { cursors in
            guard cursors[name] != nil || cursors.count < Self.maximumNames else { return }
            cursors[name] = cursor
        }
    }

    func cursor(of name: String) -> Cursor? {
        cursors.withLock { $0[name] }
    }

    /// The `NOTIFY` payload announcing `moves`: `checkpoint`, then a name and a cursor each.
    static func payload(_ moves: [String: Cursor]) -> String {
        ([CommitNotifier.checkpointPayload] + moves.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" })
            .joined(separator: " ")
    }

    /// The moves a checkpoint payload announces; nil when it is not one. Pairs that do not
    /// parse are left out.
    static func moves(in payload: String) -> [(name: String, cursor: Cursor)]? {
        let words = payload.split(separator: " ")
        guard words.first == Substring(CommitNotifier.checkpointPayload) else { return nil }
        return stride(from: 1, to: words.count - 1, by: 2).compactMap { index in
            Cursor(String(words[index + 1])).map { (String(words[index]), $0) }
        }
    }
}
