import Domain
import EventStore
import Foundation

/// The body of `POST /v1/documents`.
struct CreateDocumentInput: Decodable {
    let id: String
    let title: String
    /// Defaults to the key's user, else the key.
    let owner: String?
    let `private`: Bool?
    let defaultBranch: String?
    let attributes: [String: String]?
}

/// The body of `POST /v1/documents/{id}/commits`.
struct CommitInput: Decodable {
    let branch: String?
    /// The head the caller read; null or absent only for a document's first commit.
    let expectedHead: String?
    /// UTF-8 text content; or `content_base64` for any bytes (exactly one of the two).
    let content: String?
    let contentBase64: String?
    let mimeType: String
    let modality: String?
    let message: String?
    let authorName: String?
    let attributes: [String: String]?
    /// A merge's second parent (after resolving its conflicts, say).
    let mergeParent: String?
    /// The lock the commit is fenced by.
    let lock: LockFenceInput?
    /// Starts `branch` as a new root commit, unrelated to the other branches (git's orphan branch).
    let orphan: Bool?
}

/// A commit's lock: the resource and the fencing token its acquire returned.
struct LockFenceInput: Decodable {
    let resource: String
    let fencingToken: Int64
}

/// The body of `POST /v1/documents/{id}/branches`.
struct BranchInput: Decodable {
    let name: String
    /// A branch, tag or commit id.
    let from: String
}

/// The body of `POST /v1/documents/{id}/tags`.
struct TagInput: Decodable {
    let name: String
    let ref: String
    let message: String?
    let taggerName: String?
}

/// The body of `POST /v1/documents/{id}/merge`.
struct MergeInput: Decodable {
    /// The branch, tag or commit merged in.
    let source: String
    /// The branch that receives the merge commit.
    let into: String
    let expectedHead: String?
    let strategy: String?
    let allowUnrelatedHistories: Bool?
    let message: String?
    let authorName: String?
}

/// The body of `POST /v1/documents/{id}/revert`.
struct RevertInput: Decodable {
    let commit: String
    let branch: String
    let expectedHead: String?
    let message: String?
    let authorName: String?
}

/// Turning a body's fields into domain values.
enum DocumentInput {
    /// The document id of the path.
    static func documentID(_ context: AppRequestContext) throws -> String {
        let id = try PathInput(context: context).string("id")
        try Document.validateIdentifier(id, field: "id")
        return id
    }

    /// Attributes in key order.
    static func attributes(_ map: [String: String]?) -> [DocumentAttribute] {
        (map ?? [:]).sorted { $0.key < $1.key }.map { DocumentAttribute(key: $0.key, value: $0.value) }
    }

    /// The content's bytes: `content` as UTF-8 or `content_base64` decoded, at most
    /// `limit` bytes, UTF-8 when the MIME type is text.
    /// - Throws: ``APIError`` 400 for neither or both, bad base64 or bad UTF-8; 413 over the limit.
    static func content(_ input: CommitInput, limit: Int) throws -> [UInt8] {
        let bytes: [UInt8]
        switch (input.content, input.contentBase64) {
        case (let text?, nil): bytes = Array(text.utf8)
        case (nil, let base64?):
            guard let data = Data(base64Encoded: base64) else { throw APIError.invalid("content_base64", "is not base64") }
            bytes = Array(data)
        default:
            throw APIError.invalid("content", "send exactly one of content (UTF-8 text) and content_base64")
        }
        guard bytes.count <= limit else {
            throw APIError(.contentTooLarge, "content-too-large", "Content too large",
                           detail: "the content is \(bytes.count) bytes; the limit is \(limit)")
        }
        if DocumentContent.isText(mimeType: input.mimeType), String(validating: bytes, as: UTF8.self) == nil {
            throw APIError.invalid("content_base64", "is not UTF-8, which MIME type \(input.mimeType) requires")
        }
        return bytes
    }

    /// The modality named, else the MIME type's (text, image, audio, video; CSV and
    /// spreadsheets are tables).
    static func modality(_ name: String?, mimeType: String) throws -> DocumentContent.Modality {
        if let name {
            guard let modality = DocumentContent.Modality(rawValue: name) else {
                throw APIError.invalid("modality", "must be one of \(DocumentContent.Modality.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return modality
        }
        let type = mimeType.lowercased()
        if type.hasPrefix("image/") { return .image }
        if type.hasPrefix("audio/") { return .audio }
        if type.hasPrefix("video/") { return .video }
        if type.hasPrefix("text/csv") || type.hasPrefix("text/tab-separated-values") || type.contains("spreadsheet") { return .table }
        return .text
    }
}
