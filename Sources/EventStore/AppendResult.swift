import Foundation

/// Where an append put its events.
public struct AppendResult: Sendable, Equatable {
    /// One written event: its id, stream, version in the stream and log cursor.
    public struct Written: Sendable, Hashable {
        public let eventID: UUID
        public let stream: String
        public let streamVersion: Int64
        public let cursor: Cursor
    }

    /// The events, in the order the caller gave them.
    public let events: [Written]
    /// True when every event had already been written by an earlier identical append,
    /// so this one wrote nothing and returns that append's result.
    public let wasReplayed: Bool

    /// The cursor of the last event written (the highest).
    public var lastCursor: Cursor { events.map(\.cursor).max() ?? .start }

    /// The version `stream` is at after this append.
    public func version(of stream: String) -> Int64? {
        events.filter { $0.stream == stream }.map(\.streamVersion).max()
    }
}
