import Foundation
import Schemas
import SwiftProtobuf

extension SessionEvent: RecordableEvent {
    public var type: String {
        switch self {
        case .started: "SessionStarted"
        case .messageAppended: "MessageAppended"
        case .messageEdited: "MessageEdited"
        case .branchSwitched: "BranchSwitched"
        case .renamed: "SessionRenamed"
        case .configChanged: "SessionConfigChanged"
        case .tagged: "SessionTagged"
        case .archived: "SessionArchived"
        case .unarchived: "SessionUnarchived"
        case .deleted: "SessionDeleted"
        case .restored: "SessionRestored"
        case .summarized: "SessionSummarized"
        case .shared: "SessionShared"
        case .shareRevoked: "ShareRevoked"
        }
    }

    public var schemaVersion: Int { 1 }

    public func jsonData() throws -> String {
        try ProtoJSON.encode(message(), type: type)
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        guard schemaVersion == 1 else { throw EventCodingError.unsupportedSchemaVersion(type: type, version: schemaVersion) }
        guard let decode = Self.decoders[type] else { throw EventCodingError.unknownType(type) }
        self = try decode(json, type)
    }
}
