import Foundation
import Schemas
import SwiftProtobuf

extension DocumentEvent: EventFamily {
    /// Every type a document writes, each with its schema (one place for both).
    public enum Kind: String, EventKind {
        case created = "DocumentCreated"
        case committed = "DocumentCommitted"
        case branchCreated = "DocumentBranchCreated"
        case branchDeleted = "DocumentBranchDeleted"
        case tagged = "DocumentTagged"

        public var message: any SwiftProtobuf.Message.Type {
            switch self {
            case .created: Eventloom_V1_DocumentCreated.self
            case .committed: Eventloom_V1_DocumentCommitted.self
            case .branchCreated: Eventloom_V1_DocumentBranchCreated.self
            case .branchDeleted: Eventloom_V1_DocumentBranchDeleted.self
            case .tagged: Eventloom_V1_DocumentTagged.self
            }
        }

        /// Titles, names, messages and attribute values (docs/erasure.md lists them).
        public var personalFields: PersonalFields {
            switch self {
            case .created: ["title", "attributes[].value"]
            case .committed: ["authorName", "message", "attributes[].value"]
            case .tagged: ["taggerName", "message"]
            case .branchCreated, .branchDeleted: .none
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .created: .created
        case .committed: .committed
        case .branchCreated: .branchCreated
        case .branchDeleted: .branchDeleted
        case .tagged: .tagged
        }
    }

    public func jsonData() throws -> String {
        switch self {
        case .created(let record): try kind.encode(Self.message(record))
        case .committed(let documentID, let commit): try kind.encode(Self.message(commit, documentID: documentID))
        case .branchCreated(let documentID, let branch, let commitID, let at):
            try kind.encode(Eventloom_V1_DocumentBranchCreated.with {
                $0.documentID = documentID
                $0.branch = branch
                $0.commitID = commitID
                $0.createdAt = Google_Protobuf_Timestamp(date: at)
            })
        case .branchDeleted(let documentID, let branch, let commitID, let at):
            try kind.encode(Eventloom_V1_DocumentBranchDeleted.with {
                $0.documentID = documentID
                $0.branch = branch
                $0.commitID = commitID
                $0.deletedAt = Google_Protobuf_Timestamp(date: at)
            })
        case .tagged(let documentID, let tag): try kind.encode(Self.message(tag, documentID: documentID))
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        let kind = try Kind.named(type, schemaVersion: schemaVersion)
        switch kind {
        case .created: self = .created(Self.record(try kind.decode(Eventloom_V1_DocumentCreated.self, from: json)))
        case .committed:
            let message = try kind.decode(Eventloom_V1_DocumentCommitted.self, from: json)
            self = .committed(documentID: message.documentID, try Self.commit(message))
        case .branchCreated:
            let message = try kind.decode(Eventloom_V1_DocumentBranchCreated.self, from: json)
            self = .branchCreated(documentID: message.documentID, branch: message.branch, commitID: message.commitID,
                                  at: message.createdAt.date)
        case .branchDeleted:
            let message = try kind.decode(Eventloom_V1_DocumentBranchDeleted.self, from: json)
            self = .branchDeleted(documentID: message.documentID, branch: message.branch, commitID: message.commitID,
                                  at: message.deletedAt.date)
        case .tagged:
            let message = try kind.decode(Eventloom_V1_DocumentTagged.self, from: json)
            self = .tagged(documentID: message.documentID, DocumentTag(
                name: message.tag, commitID: message.commitID, tagger: DocumentAuthor(id: message.taggerID, name: message.taggerName),
                message: message.message, at: message.taggedAt.date))
        }
    }

    private static func message(_ record: DocumentRecord) -> Eventloom_V1_DocumentCreated {
        .with {
            $0.documentID = record.id
            $0.title = record.title
            $0.ownerID = record.ownerID
            $0.private = record.isPrivate
            $0.defaultBranch = record.defaultBranch
            $0.attributes = record.attributes.map(message)
            $0.createdAt = Google_Protobuf_Timestamp(date: record.at)
        }
    }

    private static func record(_ message: Eventloom_V1_DocumentCreated) -> DocumentRecord {
        DocumentRecord(id: message.documentID, title: message.title, ownerID: message.ownerID, isPrivate: message.private,
                       defaultBranch: message.defaultBranch, attributes: message.attributes.map(attribute),
                       at: message.createdAt.date)
    }

    private static func message(_ commit: DocumentCommit, documentID: String) -> Eventloom_V1_DocumentCommitted {
        .with {
            $0.documentID = documentID
            $0.commitID = commit.id
            $0.parents = commit.parents
            $0.branch = commit.branch
            $0.authorID = commit.author.id
            $0.authorName = commit.author.name
            $0.message = commit.message
            $0.committedAt = Google_Protobuf_Timestamp(date: commit.at)
            $0.contentSha256 = commit.content.sha256
            $0.size = commit.content.size
            $0.mimeType = commit.content.mimeType
            $0.modality = commit.content.modality.rawValue
            $0.attributes = commit.attributes.map(message)
            $0.fencingToken = commit.fence?.token ?? 0
            $0.lockResource = commit.fence?.resource ?? ""
        }
    }

    private static func commit(_ message: Eventloom_V1_DocumentCommitted) throws -> DocumentCommit {
        guard let modality = DocumentContent.Modality(rawValue: message.modality) else {
            throw EventCodingError.invalidPayload(type: Kind.committed.rawValue, reason: "unknown modality \(message.modality)")
        }
        let content = DocumentContent(sha256: message.contentSha256, size: message.size, mimeType: message.mimeType, modality: modality)
        return DocumentCommit(id: message.commitID, parents: message.parents, branch: message.branch,
                              author: DocumentAuthor(id: message.authorID, name: message.authorName), message: message.message,
                              at: message.committedAt.date, content: content, attributes: message.attributes.map(attribute),
                              fence: message.fencingToken > 0 ? DocumentFence(resource: message.lockResource, token: message.fencingToken) : nil)
    }

    private static func message(_ tag: DocumentTag, documentID: String) -> Eventloom_V1_DocumentTagged {
        .with {
            $0.documentID = documentID
            $0.tag = tag.name
            $0.commitID = tag.commitID
            $0.taggerID = tag.tagger.id
            $0.taggerName = tag.tagger.name
            $0.message = tag.message
            $0.taggedAt = Google_Protobuf_Timestamp(date: tag.at)
        }
    }

    private static func message(_ attribute: DocumentAttribute) -> Eventloom_V1_DocumentAttribute {
        .with {
            $0.key = attribute.key
            $0.value = attribute.value
        }
    }

    private static func attribute(_ message: Eventloom_V1_DocumentAttribute) -> DocumentAttribute {
        DocumentAttribute(key: message.key, value: message.value)
    }
}
