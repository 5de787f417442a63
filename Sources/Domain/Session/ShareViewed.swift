import Foundation
import Schemas

/// A shared link was opened. Written to the link's own stream (``Session/shareStream(_:)``),
/// so views never contend with the session's writers.
public struct ShareViewed: RecordableEvent, Hashable {
    public let shareID: String
    public let sessionID: String
    public let at: Date

    public init(shareID: String, sessionID: String, at: Date) {
        self.shareID = shareID
        self.sessionID = sessionID
        self.at = at
    }

    public var type: String { "ShareViewed" }
    public var schemaVersion: Int { 1 }

    public func jsonData() throws -> String {
        try ProtoJSON.encode(Eventloom_V1_ShareViewed.with {
            $0.shareID = shareID; $0.sessionID = sessionID; $0.viewedAt = at.timestamp
        }, type: type)
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        guard type == "ShareViewed" else { throw EventCodingError.unknownType(type) }
        guard schemaVersion == 1 else { throw EventCodingError.unsupportedSchemaVersion(type: type, version: schemaVersion) }
        let m = try ProtoJSON.decode(Eventloom_V1_ShareViewed.self, from: json, type: type)
        self.init(shareID: m.shareID, sessionID: m.sessionID, at: m.viewedAt.date)
    }
}
