import Domain
import Foundation
import Hummingbird
import Projections

/// A document with its branches and tags, as its stream has it.
struct DocumentView: ResponseEncodable, PositionedBody {
    struct Branch: Encodable {
        let name: String
        let head: String
    }

    struct Tag: Encodable {
        let name: String
        let commit: String
        let tagger: AuthorView
        let message: String
        let taggedAt: String
    }

    let id: String
    let title: String
    let owner: String
    let `private`: Bool
    let defaultBranch: String
    let attributes: [String: String]
    let createdAt: String
    let branches: [Branch]
    let tags: [Tag]
    let commits: Int
    let version: Int64
    var position: String?

    init(_ record: DocumentRecord, state: DocumentState, version: Int64) {
        id = record.id
        title = record.title
        owner = record.ownerID
        `private` = record.isPrivate
        defaultBranch = record.defaultBranch
        attributes = Dictionary(record.attributes.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        createdAt = APITime.text(record.at)
        branches = state.branches.sorted { $0.key < $1.key }.map { Branch(name: $0.key, head: $0.value) }
        tags = state.tags.values.sorted { $0.name < $1.name }.map {
            Tag(name: $0.name, commit: $0.commitID, tagger: AuthorView($0.tagger), message: $0.message, taggedAt: APITime.text($0.at))
        }
        commits = state.commits.count
        self.version = version
    }
}

struct AuthorView: Encodable {
    let id: String
    let name: String

    init(_ author: DocumentAuthor) {
        id = author.id
        name = author.name
    }
}

/// One commit's record.
struct CommitView: ResponseEncodable, PositionedBody {
    struct Content: Encodable {
        let sha256: String
        let size: Int64
        let mimeType: String
        let modality: String
    }

    struct Fence: Encodable {
        let resource: String
        let fencingToken: Int64
    }

    let id: String
    let parents: [String]
    let branch: String
    let author: AuthorView
    let message: String
    let committedAt: String
    let content: Content
    let attributes: [String: String]
    let lock: Fence?
    var position: String?

    init(_ commit: DocumentCommit) {
        id = commit.id
        parents = commit.parents
        branch = commit.branch
        author = AuthorView(commit.author)
        message = commit.message
        committedAt = APITime.text(commit.at)
        content = Content(sha256: commit.content.sha256, size: commit.content.size, mimeType: commit.content.mimeType,
                          modality: commit.content.modality.rawValue)
        attributes = Dictionary(commit.attributes.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        lock = commit.fence.map { Fence(resource: $0.resource, fencingToken: $0.token) }
    }
}

/// A page of a document's history, newest first.
struct HistoryPage: ResponseEncodable {
    let commits: [CommitView]
    /// Pass as `after` for the next page; null on the last.
    let next: String?
}

/// A line diff as JSON: each hunk with its lines (0-based starts, as counts of lines before it).
struct DiffView: ResponseEncodable {
    struct Hunk: Encodable {
        let oldStart: Int
        let oldCount: Int
        let newStart: Int
        let newCount: Int
        let removed: [String]
        let added: [String]
        /// With `granularity=word`: the hunk's removed and added text as words kept,
        /// removed and added (absent for a hunk over 64 KiB on a side).
        let words: [Word]?
    }

    struct Word: Encodable {
        let kind: String
        let text: String
    }

    let from: String
    let to: String
    let hunks: [Hunk]
    let identical: Bool
}

/// A branch or tag written.
struct RefView: ResponseEncodable, PositionedBody {
    let name: String
    let commit: String
    var position: String?
}

/// Who last changed each line of a version.
struct BlameView: ResponseEncodable {
    struct Line: Encodable {
        let line: Int
        let commit: String
        let author: AuthorView
        let committedAt: String
        let text: String
    }

    let ref: String
    let commit: String
    /// False when the walk stopped at its bound: lines then name the boundary commit they reached.
    let complete: Bool
    let lines: [Line]
}

/// A document as the `documents` read model lists it.
struct DocumentSummaryView: Encodable {
    let id: String
    let title: String
    let owner: String
    let `private`: Bool
    let defaultBranch: String
    let attributes: [String: String]
    let createdAt: String
    let commits: Int64
    let lastCommitAt: String?
    let head: String?
    let mimeType: String?
    let modality: String?
    let branches: Int64
    let tags: Int64
    let version: Int64

    init(_ row: DocumentRow) {
        id = row.documentID
        title = row.title
        owner = row.ownerID
        `private` = row.isPrivate
        defaultBranch = row.defaultBranch
        attributes = row.attributes
        createdAt = APITime.text(row.createdAt)
        commits = row.commits
        lastCommitAt = row.lastCommitAt.map(APITime.text)
        head = row.head
        mimeType = row.mimeType
        modality = row.modality
        branches = row.branches
        tags = row.tags
        version = row.streamVersion
    }
}

/// A page of documents.
struct DocumentPage: ResponseEncodable {
    let documents: [DocumentSummaryView]
    /// Pass as `after` for the next page; null on the last.
    let next: String?
}
