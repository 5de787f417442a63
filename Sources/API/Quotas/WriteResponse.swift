import EventStore
import Foundation
import Hummingbird

/// The response to a write: the resource's new stream version as `ETag`, the log
/// position of the last event written as `Eventloom-Position` (when something was).
enum WriteResponse {
    static func make<Body: ResponseEncodable>(
        _ body: Body, status: HTTPResponse.Status = .ok, version: Int64, position: Cursor?, replayed: Bool = false
    ) -> EditedResponse<Body> {
        var headers: HTTPFields = [.eTag: "\"\(version)\""]
        if let position { headers[.eventloomPosition] = position.description }
        if replayed { headers[.idempotentReplayed] = "true" }
        return EditedResponse(status: status, headers: headers, response: body)
    }

    /// ``make(_:status:version:position:replayed:)`` for a body that carries the position too.
    static func make<Body: ResponseEncodable & PositionedBody>(
        _ body: Body, status: HTTPResponse.Status = .ok, version: Int64, position: Cursor?, replayed: Bool = false
    ) -> EditedResponse<Body> {
        var body = body
        body.position = position?.description
        var headers: HTTPFields = [.eTag: "\"\(version)\""]
        if let position { headers[.eventloomPosition] = position.description }
        if replayed { headers[.idempotentReplayed] = "true" }
        return EditedResponse(status: status, headers: headers, response: body)
    }

    /// The version an `If-Match: "<version>"` header asks for; nil without one.
    /// - Throws: ``APIError`` 400 for a malformed header.
    static func ifMatch(_ request: Request) throws -> Int64? {
        guard let value = request.headers[.ifMatch] else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "")
        guard trimmed.count >= 3, trimmed.hasPrefix("\""), trimmed.hasSuffix("\""),
              let version = Int64(trimmed.dropFirst().dropLast()), version >= 0 else {
            throw APIError.invalid("If-Match", "must be a stream version in quotes, e.g. \"3\"")
        }
        return version
    }
}

/// A write's response body that carries the log position of the write's last event, as
/// docs/api.md promises (nil when the write appended nothing: an idempotent replay).
protocol PositionedBody {
    var position: String? { get set }
}

extension SessionView: PositionedBody {}
extension ShareView: PositionedBody {}
