import Foundation
import Schemas
import SwiftProtobuf

extension SubjectEvent: EventFamily {
    /// Every type a data subject's stream holds, each with its schema (one place for both).
    public enum Kind: String, EventKind {
        case erased = "SubjectErased"

        public var message: any SwiftProtobuf.Message.Type { Eventloom_V1_SubjectErased.self }

        /// The reason is the administrator's reference, not the subject's data.
        public var personalFields: PersonalFields { .none }
    }

    public var kind: Kind { .erased }

    public func jsonData() throws -> String {
        switch self {
        case .erased(let subjectID, let reason, let at):
            try kind.encode(Eventloom_V1_SubjectErased.with {
                $0.subjectID = subjectID
                $0.reason = reason
                $0.erasedAt = Google_Protobuf_Timestamp(date: at)
            })
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        switch try Kind.named(type, schemaVersion: schemaVersion) {
        case .erased:
            let message = try Kind.erased.decode(Eventloom_V1_SubjectErased.self, from: json)
            self = .erased(subjectID: message.subjectID, reason: message.reason, at: message.erasedAt.date)
        }
    }
}
