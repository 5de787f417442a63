import EventStore
import NIOCore

/// Events on their way to one live client, with their SSE frames. The frames of a batch
/// are rendered once by the ``LiveLog``; a client that wants the whole batch shares its
/// buffer, one that filters gets a copy of the frames it wants.
struct LiveChunk: Sendable {
    let events: [RecordedEvent]
    let frames: ByteBuffer

    var first: Cursor { events.first!.cursor }
    var last: Cursor { events.last!.cursor }
}

/// One batch of the log, rendered: every event's frame, back to back in one buffer.
struct LiveBatch: Sendable {
    let events: [RecordedEvent]
    let frames: ByteBuffer
    /// Where each event's frame starts in `frames`, and where the last one ends.
    private let offsets: [Int]

    init(_ events: [RecordedEvent]) {
        var frames = ByteBuffer()
        var offsets = [0]
        offsets.reserveCapacity(events.count + 1)
        for event in events {
            ServerSentEvents.write(event, into: &frames)
            offsets.append(frames.writerIndex)
        }
        self.events = events
        self.frames = frames
        self.offsets = offsets
    }

    /// The chunk of the events `wants` selects; nil when it selects none.
    func chunk(where wants: (RecordedEvent) -> Bool) -> LiveChunk? {
        let wanted = events.indices.filter { wants(events[$0]) }
        if wanted.count == events.count { return LiveChunk(events: events, frames: frames) }
        guard !wanted.isEmpty else { return nil }
        var buffer = ByteBuffer()
        for index in wanted {
            var frame = frames.getSlice(at: offsets[index], length: offsets[index + 1] - offsets[index])!
            buffer.writeBuffer(&frame)
        }
        return LiveChunk(events: wanted.map { events[$0] }, frames: buffer)
    }
}
