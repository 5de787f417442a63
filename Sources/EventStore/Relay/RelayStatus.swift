import Synchronization

/// What the relay is doing, for logs and metrics: updated by the relay, read by anyone.
public final class RelayStatus: Sendable {
    public struct Snapshot: Sendable, Equatable {
        /// Holding the lock (the others stand by).
        public var leading = false
        public var natsConnected = false
        /// The last event JetStream acknowledged, with every earlier one.
        public var published: Cursor?
        /// Events acknowledged since this process started.
        public var publishedCount = 0
        /// Events committed after `published` (counted up to a million), at the last lag check.
        public var lagEvents = 0
        /// How long ago the oldest unpublished event was recorded, at the last lag check.
        public var lagSeconds = 0.0
        /// Why publishing last stopped, if it did.
        public var lastError: String?
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ change: (inout Snapshot) -> Void) {
        state.withLock { change(&$0) }
    }
}
