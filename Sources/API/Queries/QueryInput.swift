import EventStore
import Foundation
import Hummingbird

/// A request's query parameters, read with their rules: a bad value is a 400 naming the
/// parameter, never a silent default.
struct QueryInput {
    let request: Request

    func string(_ name: String, maximumLength: Int = 256) throws -> String? {
        guard let value = request.uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        guard !value.isEmpty, value.count <= maximumLength else {
            throw APIError.invalid(name, "must be 1-\(maximumLength) characters")
        }
        guard !TextRules.hasControlCharacters(value) else {
            throw APIError.invalid(name, "must not contain control characters")
        }
        return value
    }

    func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = try string(name, maximumLength: 20) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.invalid(name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// `true` or `false`.
    func bool(_ name: String) throws -> Bool? {
        switch try string(name, maximumLength: 5) {
        case nil: nil
        case "true": true
        case "false": false
        default: throw APIError.invalid(name, "must be true or false")
        }
    }

    /// A log cursor, `<transaction>-<position>`.
    func cursor(_ name: String) throws -> Cursor? {
        guard let text = try string(name, maximumLength: 41) else { return nil }
        guard let cursor = Cursor(text) else { throw APIError.invalid(name, "is not a cursor (<tx>-<position>)") }
        return cursor
    }

    /// An RFC 3339 time, e.g. 2026-11-21T10:00:00Z.
    func time(_ name: String) throws -> Date? {
        try APITime.parse(try string(name, maximumLength: 40), field: name)
    }

    /// `consistent_with` or the `Eventloom-Consistent-With` header. Both are checked; sent
    /// together they must name the same position.
    func consistentWith() throws -> Cursor? {
        let query = try cursor("consistent_with")
        guard let header = request.headers[.eventloomConsistentWith] else { return query }
        guard let cursor = Cursor(header) else {
            throw APIError.invalid("Eventloom-Consistent-With", "is not a cursor (<tx>-<position>)")
        }
        if let query, query != cursor {
            throw APIError.invalid("consistent_with", "differs from the Eventloom-Consistent-With header; send one of them")
        }
        return cursor
    }
}
