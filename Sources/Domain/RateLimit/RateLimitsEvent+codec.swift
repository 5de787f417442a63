import Foundation
import Schemas
import SwiftProtobuf

extension RateLimitsEvent: EventFamily {
    /// Every type the rate limits write, each with its schema (one place for both).
    public enum Kind: String, EventKind {
        case limitSet = "RateLimitSet"
        case limitRemoved = "RateLimitRemoved"

        public var message: any SwiftProtobuf.Message.Type {
            switch self {
            case .limitSet: Eventloom_V1_RateLimitSet.self
            case .limitRemoved: Eventloom_V1_RateLimitRemoved.self
            }
        }

        public var personalFields: PersonalFields { .none }
    }

    public var kind: Kind {
        switch self {
        case .limitSet: .limitSet
        case .limitRemoved: .limitRemoved
        }
    }

    public func jsonData() throws -> String {
        switch self {
        case .limitSet(let scope, let subject, let limit, let at):
            try kind.encode(Eventloom_V1_RateLimitSet.with {
                $0.scope = scope.rawValue; $0.subject = subject; $0.limits = limit.proto; $0.setAt = at.timestamp
            })
        case .limitRemoved(let scope, let subject, let at):
            try kind.encode(Eventloom_V1_RateLimitRemoved.with { $0.scope = scope.rawValue; $0.subject = subject; $0.removedAt = at.timestamp })
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        switch try Kind.named(type, schemaVersion: schemaVersion) {
        case .limitSet:
            let m = try Kind.limitSet.decode(Eventloom_V1_RateLimitSet.self, from: json)
            self = .limitSet(scope: try Self.scope(m.scope, type), subject: m.subject, limit: RateLimit(m.limits), at: m.setAt.date)
        case .limitRemoved:
            let m = try Kind.limitRemoved.decode(Eventloom_V1_RateLimitRemoved.self, from: json)
            self = .limitRemoved(scope: try Self.scope(m.scope, type), subject: m.subject, at: m.removedAt.date)
        }
    }

    private static func scope(_ name: String, _ type: String) throws -> RateScope {
        guard let scope = RateScope(rawValue: name) else {
            throw EventCodingError.invalidPayload(type: type, reason: "unknown rate-limit scope \(name)")
        }
        return scope
    }
}
