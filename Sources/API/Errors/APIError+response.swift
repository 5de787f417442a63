import Foundation
import Hummingbird

extension APIError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: Any] = [
            "type": Self.typeBase + slug, "title": title, "status": Int(status.code), "detail": detail,
            "instance": request.uri.path,
        ]
        if !fieldErrors.isEmpty {
            body["errors"] = fieldErrors.map { ["field": $0.field, "message": $0.message] }
        }
        for (key, value) in extra { body[key] = value.json }
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        var headers = headers
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
