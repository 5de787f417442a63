import Hummingbird

/// A request's path parameters, percent-decoded (`/v1/sessions/ses%5Fa` names `ses_a`, as
/// RFC 3986 §6.2.2.2 says) and refused when they cannot name anything: a malformed escape or
/// a control character is a 400 naming the parameter, never a database error.
struct PathInput {
    let context: AppRequestContext

    func string(_ name: String) throws -> String {
        let raw = try context.parameters.require(name)
        guard let value = raw.removingPercentEncoding else {
            throw APIError.invalid(name, "is not percent-encoded correctly")
        }
        guard !value.isEmpty, value.utf8.count <= 512 else { throw APIError.invalid(name, "must be 1-512 bytes") }
        guard !TextRules.hasControlCharacters(value) else {
            throw APIError.invalid(name, "must not contain control characters")
        }
        return value
    }
}
