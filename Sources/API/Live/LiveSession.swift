import EventStore
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// One SSE client: the log from its cursor, then the live events, with heartbeats. A client
/// that stops reading falls behind its bounded queue and is disconnected.
struct LiveSession: Sendable {
    let store: EventStore
    let live: LiveLog
    let subscriber: LiveSubscriber
    /// What the follower had delivered when the client registered: the catch-up must
    /// reach it, the follower hands over everything after it.
    let followerDelivered: Cursor
    let logger: Logger

    func run(after start: Cursor, writer: inout any ResponseBodyWriter) async throws {
        defer { live.unsubscribe(subscriber) }
        try await withGracefulShutdownHandler {
            try await writer.write(ServerSentEvents.retry)
            var last = try await catchUp(after: start, writer: &writer)
            while true {
                switch await subscriber.next() {
                case .ended:
                    try await writer.finish(nil)
                    return
                case .heartbeat:
                    try await writer.write(ServerSentEvents.heartbeat)
                case .chunks(let chunks):
                    if let frames = Self.unsent(chunks, after: &last) { try await writer.write(frames) }
                }
            }
        } onGracefulShutdown: {
            subscriber.close()
        }
    }

    /// The frames of `chunks` after `last` (the catch-up may have sent some already), as
    /// one buffer: the chunk's own when there is one, shared with the other clients.
    static func unsent(_ chunks: [LiveChunk], after last: inout Cursor) -> ByteBuffer? {
        var output: ByteBuffer?
        for chunk in chunks where chunk.last > last {
            var frames = chunk.first > last
                ? chunk.frames
                : ServerSentEvents.frames(chunk.events.filter { $0.cursor > last })
            if output == nil { output = frames } else { output!.writeBuffer(&frames) }
            last = chunk.last
        }
        return output
    }

    /// Reads the log after `start` until it has reached what the follower delivered before
    /// the client registered, and as far as the store can read without computing the
    /// horizon again (a burst of new clients must not each read PostgreSQL's lock table).
    private func catchUp(after start: Cursor, writer: inout any ResponseBodyWriter) async throws -> Cursor {
        var last = start
        while true {
            let batch = try await store.readLog(after: last, through: followerDelivered, filter: subscriber.filter,
                                                limit: 1_000)
            let wanted = try await store.revealPersonalData(batch.filter(subscriber.wants))
            if !wanted.isEmpty { try await writer.write(ServerSentEvents.frames(wanted)) }
            guard let newest = batch.last else { return last }
            last = newest.cursor
        }
    }
}
