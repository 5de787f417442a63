import Foundation

/// How far into a stream to fold.
public enum AsOf: Sendable, Hashable {
    /// Every event.
    case latest
    /// Events up to and including this stream version.
    case version(Int64)
    /// Events recorded at or before this instant.
    case time(Date)
}

/// A stream's state after folding its events, and the version it is at.
public struct FoldedState<State: Sendable>: Sendable {
    public let state: State
    /// The version of the last event folded (0: none).
    public let version: Int64

    public init(state: State, version: Int64) {
        self.state = state
        self.version = version
    }
}
