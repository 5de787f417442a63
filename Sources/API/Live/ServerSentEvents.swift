import EventStore
import NIOCore

/// The `text/event-stream` framing of log events (WHATWG): `id` is the cursor, `event` the
/// type, `data` the event as one line of JSON.
enum ServerSentEvents {
    /// Sent once, first: how long a client waits before reconnecting.
    static let retry = ByteBuffer(string: "retry: 3000\n\n")
    static let heartbeat = ByteBuffer(string: ": keep-alive\n\n")

    static func frames(_ events: [RecordedEvent]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for event in events { write(event, into: &buffer) }
        return buffer
    }

    static func write(_ event: RecordedEvent, into buffer: inout ByteBuffer) {
        buffer.writeString("id: \(event.cursor)\nevent: \(event.type)\ndata: \(event.jsonLine)\n\n")
    }
}
