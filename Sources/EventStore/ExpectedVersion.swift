/// What the caller believes a stream's version is; an append fails if it is wrong.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// No check.
    case any
    /// The stream must not exist (same as `exact(0)`).
    case noStream
    /// The stream must have at least one event.
    case streamExists
    /// The stream's last event must have this version (`0`: the stream must not exist).
    case exact(Int64)

    /// The encoding the append statement takes: n ≥ 0 exact, -1 any, -2 stream exists.
    var sqlValue: Int64 {
        switch self {
        case .any: -1
        case .noStream: 0
        case .streamExists: -2
        case .exact(let version): version
        }
    }

    init(sqlValue: Int64) {
        switch sqlValue {
        case -1: self = .any
        case -2: self = .streamExists
        case 0: self = .noStream
        default: self = .exact(sqlValue)
        }
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no stream"
        case .streamExists: "stream exists"
        case .exact(let version): "version \(version)"
        }
    }
}
