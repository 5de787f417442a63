import Foundation
import Schemas
import SwiftProtobuf

extension LockEvent: EventFamily {
    /// Every type a lock writes, each with its schema (one place for both).
    public enum Kind: String, EventKind {
        case acquired = "LockAcquired"
        case released = "LockReleased"

        public var message: any SwiftProtobuf.Message.Type {
            switch self {
            case .acquired: Eventloom_V1_LockAcquired.self
            case .released: Eventloom_V1_LockReleased.self
            }
        }

        public var personalFields: PersonalFields { .none }
    }

    public var kind: Kind {
        switch self {
        case .acquired: .acquired
        case .released: .released
        }
    }

    public func jsonData() throws -> String {
        switch self {
        case .acquired(let holder, let at, let expiresAt):
            try kind.encode(Eventloom_V1_LockAcquired.with {
                $0.holder = holder
                $0.acquiredAt = Google_Protobuf_Timestamp(date: at)
                $0.expiresAt = Google_Protobuf_Timestamp(date: expiresAt)
            })
        case .released(let holder, let at):
            try kind.encode(Eventloom_V1_LockReleased.with {
                $0.holder = holder
                $0.releasedAt = Google_Protobuf_Timestamp(date: at)
            })
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        switch try Kind.named(type, schemaVersion: schemaVersion) {
        case .acquired:
            let message = try Kind.acquired.decode(Eventloom_V1_LockAcquired.self, from: json)
            self = .acquired(holder: message.holder, at: message.acquiredAt.date, expiresAt: message.expiresAt.date)
        case .released:
            let message = try Kind.released.decode(Eventloom_V1_LockReleased.self, from: json)
            self = .released(holder: message.holder, at: message.releasedAt.date)
        }
    }
}
