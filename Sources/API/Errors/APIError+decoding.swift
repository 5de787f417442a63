import Foundation

extension APIError {
    /// A body that does not fit its type, as a 400 naming the field the way the API spells
    /// it (`usage.prompt_tokens`, `messages[2].content`) and the kind of value it takes.
    static func fromDecoding(_ error: DecodingError) -> APIError {
        switch error {
        case .keyNotFound(let key, let context):
            .invalid(fieldName(context.codingPath + [key]), "is required")
        case .typeMismatch(let type, let context): .invalid(fieldName(context.codingPath), "must be \(kind(of: type))")
        case .valueNotFound(let type, let context):
            .invalid(fieldName(context.codingPath), "must be \(kind(of: type)), not null")
        case .dataCorrupted(let context):
            context.codingPath.isEmpty ? .invalid("body", "is not valid JSON")
                : .invalid(fieldName(context.codingPath), context.debugDescription)
        @unknown default: .invalid("body", "cannot be read")
        }
    }

    /// `a.b[0].c`, each key in snake_case as the API's JSON spells it.
    static func fieldName(_ path: [any CodingKey]) -> String {
        var name = ""
        for key in path {
            if let index = key.intValue {
                name += "[\(index)]"
            } else {
                name += (name.isEmpty ? "" : ".") + snakeCase(key.stringValue)
            }
        }
        return name.isEmpty ? "body" : name
    }

    private static func snakeCase(_ key: String) -> String {
        var result = ""
        for character in key {
            if character.isUppercase, !result.isEmpty { result += "_" }
            result += character.lowercased()
        }
        return result
    }

    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is any FixedWidthInteger.Type: "an integer"
        case is any BinaryFloatingPoint.Type, is Decimal.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "of another type"
        }
    }
}
