import Foundation
import Hummingbird

/// An error the API answers with an RFC 9457 problem: a stable `type`, a title, the
/// status, a detail safe to show, and field errors where the input was invalid.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    /// The last part of the problem's type URI, e.g. `invalid-request`.
    public var slug: String
    public var title: String
    public var detail: String
    public var fieldErrors: [FieldError] = []
    /// Extra headers, e.g. `Retry-After`.
    public var headers: HTTPFields = [:]
    /// Extra members of the problem object.
    public var extra: [String: ProblemMember] = [:]

    public struct FieldError: Sendable, Codable, Equatable {
        public var field: String
        public var message: String
    }

    public init(_ status: HTTPResponse.Status, _ slug: String, _ title: String, detail: String,
                fieldErrors: [FieldError] = [])
    {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.fieldErrors = fieldErrors
    }

    /// The base of every problem type URI.
    public static let typeBase = "https://eventloom.dev/problems/"

    static let unauthorized = APIError(.unauthorized, "unauthorized", "Unauthorized",
        detail: "send an API key: Authorization: Bearer <key>, x-api-key or x-goog-api-key")

    static func forbidden(_ detail: String) -> APIError {
        APIError(.forbidden, "forbidden", "Forbidden", detail: detail)
    }

    static func notFound(_ detail: String) -> APIError {
        APIError(.notFound, "not-found", "Not Found", detail: detail)
    }

    static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, "invalid-request", "Invalid request", detail: "\(field): \(message)",
                 fieldErrors: [FieldError(field: field, message: message)])
    }
}
