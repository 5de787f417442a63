import Foundation
import Hummingbird

/// A read's JSON response with an `ETag`; 304 Not Modified, without a body, when the
/// request's `If-None-Match` names that tag (or `*`), as RFC 9110 §13.1.2 says. An
/// `If-None-Match` longer than 256 bytes is a 400.
enum ReadResponse {
    static func json<T: Encodable>(_ value: T, request: Request, context: AppRequestContext, etag: String) throws -> Response {
        if let notModified = try notModified(request, etag: etag) { return notModified }
        var response = try context.responseEncoder.encode(value, from: request, context: context)
        response.headers[.eTag] = etag
        return response
    }

    /// The 304 for a request whose `If-None-Match` names `etag`, before any body is made; nil otherwise.
    /// - Throws: ``APIError`` 400 for an `If-None-Match` over 256 bytes.
    static func notModified(_ request: Request, etag: String) throws -> Response? {
        guard let header = request.headers[.ifNoneMatch] else { return nil }
        guard header.utf8.count <= 256 else { throw APIError.invalid("If-None-Match", "must be at most 256 bytes") }
        return matches(header, etag) ? Response(status: .notModified, headers: [.eTag: etag]) : nil
    }

    /// Whether an `If-None-Match` value names `etag` (weak comparison).
    static func matches(_ header: String, _ etag: String) -> Bool {
        let wanted = etag.hasPrefix("W/") ? String(etag.dropFirst(2)) : etag
        return header.split(separator: ",").contains { tag in
            let trimmed = tag.trimmingCharacters(in: .whitespaces)
            return trimmed == "*" || (trimmed.hasPrefix("W/") ? String(trimmed.dropFirst(2)) : trimmed) == wanted
        }
    }
}
