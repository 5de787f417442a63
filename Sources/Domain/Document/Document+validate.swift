import Foundation

extension Document {
    static func validate(_ record: DocumentRecord) throws {
        try validateIdentifier(record.id, field: "id")
        try validateText(record.title, field: "title", maximum: DocumentLimits.maximumTitleLength)
        try validateText(record.ownerID, field: "owner_id", maximum: DocumentLimits.maximumNameLength)
        try validateRef(record.defaultBranch, field: "default_branch")
        try validate(record.attributes)
    }

    static func validate(_ draft: CommitDraft) throws {
        guard RefName.isCommitID(draft.id) else { throw DocumentError.invalid(field: "id", reason: "must be a hex SHA-256") }
        try validateRef(draft.branch, field: "branch")
        if let head = draft.expectedHead, !RefName.isCommitID(head) {
            throw DocumentError.invalid(field: "expected_head", reason: "must be a commit id")
        }
        try validate(draft.author, field: "author")
        try validateText(draft.message, field: "message", maximum: DocumentLimits.maximumMessageLength, multiline: true)
        try validate(draft.content)
        try validate(draft.attributes)
        if let fence = draft.fence, fence.token < 1 {
            throw DocumentError.invalid(field: "lock.fencing_token", reason: "must be positive")
        }
    }

    static func validate(_ content: DocumentContent) throws {
        guard RefName.isCommitID(content.sha256) else {
            throw DocumentError.invalid(field: "content_sha256", reason: "must be a hex SHA-256")
        }
        guard content.size >= 0 else { throw DocumentError.invalid(field: "size", reason: "must not be negative") }
        try validateMimeType(content.mimeType)
    }

    /// `type/subtype`, optionally with parameters: a token on each side of the slash.
    static func validateMimeType(_ mimeType: String) throws {
        let essence = mimeType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let parts = essence.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        let token = { (part: Substring) in
            !part.isEmpty && part.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "!#$&^_.+-".unicodeScalars.contains($0)) }
        }
        guard mimeType.utf8.count <= DocumentLimits.maximumMimeTypeLength, parts.count == 2, token(parts[0]), token(parts[1]),
              !mimeType.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw DocumentError.invalid(field: "mime_type", reason: "must be a MIME type such as text/markdown")
        }
    }

    static func validate(_ author: DocumentAuthor, field: String) throws {
        try validateText(author.id, field: "\(field).id", maximum: DocumentLimits.maximumNameLength)
        try validateText(author.name, field: "\(field).name", maximum: DocumentLimits.maximumNameLength)
    }

    static func validate(_ attributes: [DocumentAttribute]) throws {
        guard attributes.count <= DocumentLimits.maximumAttributes else {
            throw DocumentError.invalid(field: "attributes", reason: "at most \(DocumentLimits.maximumAttributes)")
        }
        guard Set(attributes.map(\.key)).count == attributes.count else {
            throw DocumentError.invalid(field: "attributes", reason: "keys must be unique")
        }
        for attribute in attributes {
            try validateText(attribute.key, field: "attributes.key", maximum: DocumentLimits.maximumAttributeKeyLength)
        }
        let bytes = attributes.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        guard bytes <= DocumentLimits.maximumAttributeBytes else {
            throw DocumentError.invalid(field: "attributes", reason: "at most \(DocumentLimits.maximumAttributeBytes) bytes together")
        }
    }

    static func validateRef(_ name: String, field: String) throws {
        if let problem = RefName.problem(name) { throw DocumentError.invalid(field: field, reason: problem) }
    }

    /// 1-100 ASCII letters, digits, `_ . : -`.
    public static func validateIdentifier(_ id: String, field: String) throws {
        guard !id.isEmpty, id.utf8.count <= DocumentLimits.maximumIdentifierLength,
              id.utf8.allSatisfy(isIdentifierByte) else {
            throw DocumentError.invalid(field: field, reason: "must be 1-\(DocumentLimits.maximumIdentifierLength) ASCII letters, digits, '_', '.', ':' or '-'")
        }
    }

    /// A multi-line text (a message) may be empty and hold line breaks and tabs.
    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || "_.:-".utf8.contains(byte)
    }

    static func validateText(_ text: String, field: String, maximum: Int, multiline: Bool = false) throws {
        if let reason = TextRule.problem(with: text, maximum: maximum, multiline: multiline) {
            throw DocumentError.invalid(field: field, reason: reason)
        }
    }
}
