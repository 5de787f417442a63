import Foundation
import Schemas
import SwiftProtobuf

extension SessionEvent: EventFamily {
    /// Every type a session writes, each with its schema (one place for both).
    public enum Kind: String, EventKind {
        case started = "SessionStarted"
        case messageAppended = "MessageAppended"
        case messageEdited = "MessageEdited"
        case branchSwitched = "BranchSwitched"
        case renamed = "SessionRenamed"
        case configChanged = "SessionConfigChanged"
        case tagged = "SessionTagged"
        case archived = "SessionArchived"
        case unarchived = "SessionUnarchived"
        case deleted = "SessionDeleted"
        case restored = "SessionRestored"
        case summarized = "SessionSummarized"
        case shared = "SessionShared"
        case shareRevoked = "ShareRevoked"

        public var message: any SwiftProtobuf.Message.Type {
            switch self {
            case .started: Eventloom_V1_SessionStarted.self
            case .messageAppended: Eventloom_V1_MessageAppended.self
            case .messageEdited: Eventloom_V1_MessageEdited.self
            case .branchSwitched: Eventloom_V1_BranchSwitched.self
            case .renamed: Eventloom_V1_SessionRenamed.self
            case .configChanged: Eventloom_V1_SessionConfigChanged.self
            case .tagged: Eventloom_V1_SessionTagged.self
            case .archived: Eventloom_V1_SessionArchived.self
            case .unarchived: Eventloom_V1_SessionUnarchived.self
            case .deleted: Eventloom_V1_SessionDeleted.self
            case .restored: Eventloom_V1_SessionRestored.self
            case .summarized: Eventloom_V1_SessionSummarized.self
            case .shared: Eventloom_V1_SessionShared.self
            case .shareRevoked: Eventloom_V1_ShareRevoked.self
            }
        }

        /// What the owner wrote, and what was written about or for them: titles, messages,
        /// quotes, summaries, tags, system prompts (docs/erasure.md lists them).
        public var personalFields: PersonalFields {
            switch self {
            case .started: ["title", "config.systemPrompt"]
            case .messageAppended: ["content", "citations[].quote"]
            case .messageEdited: ["content"]
            case .renamed: ["title"]
            case .configChanged: ["config.systemPrompt"]
            case .tagged: ["tags[]"]
            case .summarized: ["summary"]
            case .branchSwitched, .archived, .unarchived, .deleted, .restored, .shared, .shareRevoked: .none
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .started: .started
        case .messageAppended: .messageAppended
        case .messageEdited: .messageEdited
        case .branchSwitched: .branchSwitched
        case .renamed: .renamed
        case .configChanged: .configChanged
        case .tagged: .tagged
        case .archived: .archived
        case .unarchived: .unarchived
        case .deleted: .deleted
        case .restored: .restored
        case .summarized: .summarized
        case .shared: .shared
        case .shareRevoked: .shareRevoked
        }
    }

    public func jsonData() throws -> String {
        try kind.encode(message())
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        self = try Self.decode(try Kind.named(type, schemaVersion: schemaVersion), json: json)
    }
}
