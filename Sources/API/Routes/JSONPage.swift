import Hummingbird

/// A page of items already rendered as JSON objects, and the cursor to ask for the next one.
struct JSONPage {
    let items: String
    let lines: [String]
    /// `after` for the next page; nil on the last page.
    let next: String?

    var body: ByteBuffer {
        var body = "{\"\(items)\":[" + lines.joined(separator: ",") + "]"
        body += ",\"next_after\":" + (next.map { "\"\($0)\"" } ?? "null") + "}"
        return ByteBuffer(string: body)
    }

    var response: Response { Self.response(body) }

    static func response(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }
}
