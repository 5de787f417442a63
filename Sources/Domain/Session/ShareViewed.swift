import Foundation
import Schemas
import SwiftProtobuf

/// A shared link was opened. Written to the link's own stream (``Session/shareStream(_:)``),
/// so views never contend with the session's writers.
public struct ShareViewed: EventFamily, Hashable {
    /// The one type a shared link's stream holds.
    public enum Kind: String, EventKind {
        case viewed = "ShareViewed"

        public var message: any SwiftProtobuf.Message.Type { Eventloom_V1_ShareViewed.self }
        /// Who viewed is not recorded: nothing personal.
        public var personalFields: PersonalFields { .none }
    }

    public let shareID: String
    public let sessionID: String
    public let at: Date

    public init(shareID: String, sessionID: String, at: Date) {
        self.shareID = shareID
        self.sessionID = sessionID
        self.at = at
    }

    public var kind: Kind { .viewed }

    public func jsonData() throws -> String {
        try kind.encode(Eventloom_V1_ShareViewed.with {
            $0.shareID = shareID; $0.sessionID = sessionID; $0.viewedAt = at.timestamp
        })
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        let kind = try Kind.named(type, schemaVersion: schemaVersion)
        let m = try kind.decode(Eventloom_V1_ShareViewed.self, from: json)
        self.init(shareID: m.shareID, sessionID: m.sessionID, at: m.viewedAt.date)
    }
}
