import Foundation

extension IngestionTask {
    static func validate(_ key: IngestionTaskKey) throws {
        do {
            try SearchIndex.validateName(key.index)
        } catch SearchIndexError.invalid(let field, let reason) {
            throw IngestionTaskError.invalid(field: field, reason: reason)
        }
        guard (1...SearchIndex.maximumVersions).contains(key.version) else {
            throw IngestionTaskError.invalid(field: "version", reason: "must be in 1...\(SearchIndex.maximumVersions)")
        }
        guard RefName.isCommitID(key.contentSHA256) else {
            throw IngestionTaskError.invalid(field: "content_sha256", reason: "must be a hex SHA-256")
        }
    }

    static func validate(_ target: IngestionTarget) throws {
        do {
            try Document.validateIdentifier(target.documentID, field: "document_id")
        } catch DocumentError.invalid(let field, let reason) {
            throw IngestionTaskError.invalid(field: field, reason: reason)
        }
        guard RefName.isCommitID(target.commitID) else {
            throw IngestionTaskError.invalid(field: "commit_id", reason: "must be a commit id")
        }
    }

    static func validateLease(_ lease: TimeInterval) throws {
        guard lease >= 1, lease <= maximumLease else {
            throw IngestionTaskError.invalid(field: "lease_ms", reason: "must be in [1000, \(Int(maximumLease * 1000))] milliseconds")
        }
    }

    static func validateText(_ text: String, field: String, maximum: Int) throws {
        if text.allSatisfy(\.isWhitespace) { throw IngestionTaskError.invalid(field: field, reason: "must not be empty") }
        if let reason = TextRule.problem(with: text, maximum: maximum, multiline: field == "error") {
            throw IngestionTaskError.invalid(field: field, reason: reason)
        }
    }
}
