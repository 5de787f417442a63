import Domain
import EventStore
import Foundation

/// What the document routes read: a document's state as the log has it (through the
/// writes' cache), the commits its refs name, and their content.
struct DocumentReads: Sendable {
    let writes: DocumentWrites

    /// The document, when `access` may see it.
    /// - Throws: ``APIError`` 404 for a document that does not exist or is not the caller's to see.
    func document(_ documentID: String, access: DocumentAccess) async throws -> FoldedState<DocumentState> {
        let folded = try await writes.state(tenant: access.tenant, documentID: documentID)
        try access.requireVisible(folded.state, documentID: documentID)
        return folded
    }

    /// The commit `ref` names in `state`.
    /// - Throws: ``Domain/DocumentError/unknownRef(_:)``.
    func commit(_ ref: String, in state: DocumentState) throws -> DocumentCommit {
        guard let commit = state.resolve(ref) else { throw DocumentError.unknownRef(ref) }
        return commit
    }

    /// The bytes of `commit`'s content, checked against its hash.
    /// - Throws: ``APIError`` 410 when the private document's owner was erased; ``EventStoreError``.
    func content(of commit: DocumentCommit, in state: DocumentState, tenant: String) async throws -> [UInt8] {
        let record = state.record
        let scope = ContentScope(tenant: tenant, privateTo: record.flatMap { $0.isPrivate ? $0.ownerID : nil })
        guard let sha256 = Hex.decode(commit.content.sha256),
              let bytes = try await writes.contents.content(sha256, scope: scope) else {
            if record?.isPrivate == true {
                throw APIError(.gone, "subject-erased", "Data subject erased", detail: "the content of this private document was erased with its owner")
            }
            throw EventStoreError(.internalError, "the content of commit \(commit.id) is missing")
        }
        return bytes
    }
}
