import Foundation

/// A value of an extra member of a problem object: what the client needs beyond the
/// detail text (a holder, a token, a current head, conflict hunks).
public indirect enum ProblemMember: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case int(Int64)
    case null
    case array([ProblemMember])
    case object([String: ProblemMember])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }

    /// The value for `JSONSerialization`.
    var json: Any {
        switch self {
        case .string(let text): text
        case .int(let number): number
        case .null: NSNull()
        case .array(let items): items.map(\.json)
        case .object(let members): members.mapValues(\.json)
        }
    }
}
