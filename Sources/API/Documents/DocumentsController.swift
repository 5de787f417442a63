import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// Documents versioned like git (docs/documents.md): create, commit, branches, tags,
/// checkout, diff, history, merge, revert, blame, and the document's events live.
struct DocumentsController {
    let writes: DocumentWrites
    let reads: DocumentReads
    let database: TenantDatabase
    let consistency: Consistency
    let live: LiveController
    let maximumBodySize: Int
    let maximumContentBytes: Int
    let maximumPageSize: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/documents") { request, context in try await create(request, context) }
        router.get("/v1/documents") { request, context in try await list(request, context) }
        router.get("/v1/documents/:id") { request, context in try await show(request, context) }
        router.post("/v1/documents/:id/commits") { request, context in try await commit(request, context) }
        router.get("/v1/documents/:id/commits/:ref") { request, context in try await showCommit(request, context) }
        router.get("/v1/documents/:id/content") { request, context in try await checkout(request, context) }
        router.post("/v1/documents/:id/branches") { request, context in try await createBranch(request, context) }
        router.delete("/v1/documents/:id/branches/:name") { request, context in try await deleteBranch(request, context) }
        router.post("/v1/documents/:id/tags") { request, context in try await tag(request, context) }
        router.get("/v1/documents/:id/history") { request, context in try await history(request, context) }
        router.get("/v1/documents/:id/events") { request, context in try await events(request, context) }
        DocumentMergesController(controller: self).addRoutes(to: router)
    }

    /// The largest commit body: the content limit in base64, and room for the rest.
    var maximumCommitBody: Int { maximumContentBytes / 3 * 4 + 4 + maximumBodySize }

    private func create(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<DocumentView> {
        let access = try DocumentAccess.writing(try context.requireCaller())
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(CreateDocumentInput.self)
        try Document.validateIdentifier(body.id, field: "id")
        let record = DocumentRecord(id: body.id, title: body.title, ownerID: try access.owner(requested: body.owner),
                                    isPrivate: body.private ?? false, defaultBranch: body.defaultBranch ?? Document.defaultBranch,
                                    attributes: DocumentInput.attributes(body.attributes), at: writes.clock.now())
        let outcome = try await writes.handle(.create(record), tenant: access.tenant, documentID: body.id,
                                              metadata: RequestMetadata(request, context).metadata)
        guard let stored = outcome.state.record else { throw DocumentError.unknown }
        return WriteResponse.make(DocumentView(stored, state: outcome.state, version: outcome.version),
                                  status: outcome.events.isEmpty ? .ok : .created, version: outcome.version,
                                  position: outcome.append?.lastCursor)
    }

    private func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try DocumentAccess.reading(try context.requireCaller())
        let documentID = try DocumentInput.documentID(context)
        let folded = try await reads.document(documentID, access: access)
        guard let record = folded.state.record else { throw APIError.notFound("no document \(documentID)") }
        return try ReadResponse.json(DocumentView(record, state: folded.state, version: folded.version), request: request,
                                     context: context, etag: "\"\(folded.version)\"")
    }

    /// 409 `document-head-moved` with the current head when the branch moved since the
    /// caller read it; 409 `lock-stale-token` when fenced by a lock whose grant is not the
    /// caller's any more. Either way nothing is written.
    private func commit(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<CommitView> {
        let access = try DocumentAccess.writing(try context.requireCaller())
        let documentID = try DocumentInput.documentID(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumCommitBody).decode(CommitInput.self)
        let bytes = try DocumentInput.content(body, limit: maximumContentBytes)
        let folded = try await reads.document(documentID, access: access)
        guard let record = folded.state.record else { throw APIError.notFound("no document \(documentID)") }
        let content = DocumentContent(sha256: ContentHash.hex(bytes), size: Int64(bytes.count), mimeType: body.mimeType,
                                      modality: try DocumentInput.modality(body.modality, mimeType: body.mimeType))
        let fence = try body.lock.map { lock -> DocumentFence in
            guard Identifiers.isValidStream(Lock.stream(lock.resource)), lock.resource.utf8.count <= 190 else {
                throw APIError.invalid("lock.resource", "must be 1-190 characters of [A-Za-z0-9_.:-]")
            }
            return DocumentFence(resource: lock.resource, token: lock.fencingToken)
        }
        if body.orphan == true, body.mergeParent != nil {
            throw APIError.invalid("merge_parent", "an orphan commit starts a history of its own and has no parent")
        }
        let draft = try draft(branch: body.branch ?? record.defaultBranch, expectedHead: body.expectedHead,
                              mergeParent: body.mergeParent, access: access, authorName: body.authorName,
                              message: body.message ?? "", content: content,
                              attributes: DocumentInput.attributes(body.attributes), fence: fence, documentID: documentID,
                              isOrphan: body.orphan ?? false)
        return try await write(draft, bytes: bytes, request, context, access: access, documentID: documentID)
    }

    /// - Throws: ``APIError`` 413 `content-too-large` when a merge or revert made content over the limit.
    func requireWithinLimit(_ bytes: [UInt8]) throws {
        guard bytes.count <= maximumContentBytes else {
            throw APIError(.contentTooLarge, "content-too-large", "Content too large",
                           detail: "the result is \(bytes.count) bytes; the limit is \(maximumContentBytes)")
        }
    }

    /// A commit as the caller asks for it, with its id.
    func draft(branch: String, expectedHead: String?, mergeParent: String?, access: DocumentAccess, authorName: String?,
               message: String, content: DocumentContent, attributes: [DocumentAttribute], fence: DocumentFence?,
               documentID: String, isOrphan: Bool = false) throws -> CommitDraft {
        let author = DocumentAuthor(id: access.author, name: authorName ?? access.author)
        let at = writes.clock.now()
        let parents = [expectedHead, mergeParent].compactMap { $0 }
        let text = DocumentCommit.canonicalText(documentID: documentID, parents: parents, branch: branch, author: author,
                                                message: message, at: at, content: content, attributes: attributes)
        return CommitDraft(id: ContentHash.hex(Array(text.utf8)), branch: branch, expectedHead: expectedHead,
                           mergeParent: mergeParent, author: author, message: message, at: at, content: content,
                           attributes: attributes, fence: fence, isOrphan: isOrphan)
    }

    /// Writes `draft` with its content and answers 201 with the commit.
    func write(_ draft: CommitDraft, bytes: [UInt8], _ request: Request, _ context: AppRequestContext,
               access: DocumentAccess, documentID: String) async throws -> EditedResponse<CommitView> {
        let outcome = try await writes.commit(draft, bytes: bytes, tenant: access.tenant, documentID: documentID,
                                              metadata: RequestMetadata(request, context).metadata,
                                              check: { try access.requireVisible($0, documentID: documentID) })
        guard let commit = outcome.state.commits[draft.id] else { throw DocumentError.commitExists(draft.id) }
        return WriteResponse.make(CommitView(commit), status: outcome.events.isEmpty ? .ok : .created,
                                  version: outcome.version, position: outcome.append?.lastCursor)
    }

    private func showCommit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try DocumentAccess.reading(try context.requireCaller())
        let documentID = try DocumentInput.documentID(context)
        let ref = try PathInput(context: context).string("ref")
        let folded = try await reads.document(documentID, access: access)
        let commit = try reads.commit(ref, in: folded.state)
        return try ReadResponse.json(CommitView(commit), request: request, context: context, etag: "\"\(commit.id)\"")
    }

    /// The content of `?ref=` (default: the default branch), as its MIME type; the ETag is
    /// its SHA-256, and an `If-None-Match` that names it is answered 304 without the body.
    private func checkout(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try DocumentAccess.reading(try context.requireCaller())
        let documentID = try DocumentInput.documentID(context)
        let folded = try await reads.document(documentID, access: access)
        let ref = try QueryInput(request: request).string("ref", maximumLength: 256) ?? folded.state.record?.defaultBranch ?? ""
        let commit = try reads.commit(ref, in: folded.state)
        let etag = "\"\(commit.content.sha256)\""
        if let notModified = try ReadResponse.notModified(request, etag: etag) { return notModified }
        let bytes = try await reads.content(of: commit, in: folded.state, tenant: access.tenant)
        var headers: HTTPFields = [.eTag: etag, .contentType: commit.content.mimeType]
        headers[.eventloomCommit] = commit.id
        // The MIME type is the committer's: a browser must neither sniff nor run the content.
        headers[.xContentTypeOptions] = "nosniff"
        headers[.contentSecurityPolicy] = "default-src 'none'; sandbox"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func createBranch(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<RefView> {
        let access = try DocumentAccess.writing(try context.requireCaller())
        let documentID = try DocumentInput.documentID(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(BranchInput.self)
        let outcome = try await writes.handle(.createBranch(name: body.name, from: body.from, at: writes.clock.now()),
                                              tenant: access.tenant, documentID: documentID,
                                              metadata: RequestMetadata(request, context).metadata,
                                              check: { try access.requireVisible($0, documentID: documentID) })
        return WriteResponse.make(RefView(name: body.name, commit: outcome.state.branches[body.name] ?? ""),
                                  status: outcome.events.isEmpty ? .ok : .created, version: outcome.version,
                                  position: outcome.append?.lastCursor)
    }

    private func deleteBranch(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try DocumentAccess.writing(try context.requireCaller())
        let documentID = try DocumentInput.documentID(context)
        let name = try PathInput(context: context).string("name")
        let outcome = try await writes.handle(.deleteBranch(name: name, at: writes.clock.now()), tenant: access.tenant,
                                              documentID: documentID, metadata: RequestMetadata(request, context).metadata,
                                              check: { try access.requireVisible($0, documentID: documentID) })
        var headers: HTTPFields = [.eTag: "\"\(outcome.version)\""]
        if let position = outcome.append?.lastCursor { headers[.eventloomPosition] = position.description }
        return Response(status: .noContent, headers: headers)
    }

    private func tag(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<RefView> {
        let access = try DocumentAccess.writing(try context.requireCaller())
        let documentID = try DocumentInput.documentID(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(TagInput.self)
        let tagger = DocumentAuthor(id: access.author, name: body.taggerName ?? access.author)
        let outcome = try await writes.handle(.tag(name: body.name, ref: body.ref, tagger: tagger, message: body.message ?? "",
                                                   at: writes.clock.now()),
                                              tenant: access.tenant, documentID: documentID,
                                              metadata: RequestMetadata(request, context).metadata,
                                              check: { try access.requireVisible($0, documentID: documentID) })
        return WriteResponse.make(RefView(name: body.name, commit: outcome.state.tags[body.name]?.commitID ?? ""),
                                  status: outcome.events.isEmpty ? .ok : .created, version: outcome.version,
                                  position: outcome.append?.lastCursor)
    }

    /// `?ref=` (default: the default branch), newest first; `first_parent=true` follows
    /// first parents only (a branch's own line); `after=<commit>` continues a page.
    private func history(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try DocumentAccess.reading(try context.requireCaller())
        let documentID = try DocumentInput.documentID(context)
        let input = QueryInput(request: request)
        let folded = try await reads.document(documentID, access: access)
        let ref = try input.string("ref", maximumLength: 256) ?? folded.state.record?.defaultBranch ?? ""
        let limit = try input.int("limit", in: 1...maximumPageSize) ?? 50
        let firstParent = try input.bool("first_parent") ?? false
        let after = try input.string("after", maximumLength: 64)
        let page = try DocumentHistory(state: folded.state).page(from: ref, firstParent: firstParent, after: after, limit: limit)
        return try ReadResponse.json(HistoryPage(commits: page.commits.map(CommitView.init), next: page.next),
                                     request: request, context: context, etag: "\"\(folded.version)\"")
    }

    /// A page of the tenant's documents by id, from the `documents` read model:
    /// `title` (a part of it, any case), `owner`, `modality`, `attribute.<key>=<value>`
    /// (each must match), `after`, `limit`.
    private func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try DocumentAccess.reading(try context.requireCaller())
        let input = QueryInput(request: request)
        var filter = DocumentListFilter(limit: try input.int("limit", in: 1...maximumPageSize) ?? 100)
        filter.visibleTo = access.caller.userID
        filter.titleContains = try input.string("title", maximumLength: DocumentLimits.maximumTitleLength)
        filter.owner = try input.string("owner", maximumLength: DocumentLimits.maximumNameLength)
        filter.modality = try input.string("modality", maximumLength: 10)
        if let modality = filter.modality, DocumentContent.Modality(rawValue: modality) == nil {
            throw APIError.invalid("modality", "must be one of \(DocumentContent.Modality.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        filter.after = try input.string("after", maximumLength: DocumentLimits.maximumIdentifierLength)
        for (name, value) in request.uri.queryParameters where name.hasPrefix("attribute.") {
            let key = String(name.dropFirst("attribute.".count))
            guard !key.isEmpty, key.count <= DocumentLimits.maximumAttributeKeyLength, value.count <= 1_000,
                  filter.attributes.count < 16 else {
                throw APIError.invalid(String(name), "attribute filters: at most 16, keys 1-100 and values 0-1000 characters")
            }
            filter.attributes[key] = String(value).removingPercentEncoding ?? String(value)
        }
        try await consistency.wait(for: "documents", askedBy: request)
        let rows = try await database.queries(DocumentsQueries.self, as: access.tenant) { try await $0.list(tenant: access.tenant, filter) }
        let page = DocumentPage(documents: rows.map(DocumentSummaryView.init),
                                next: rows.count == filter.limit ? rows.last?.documentID : nil)
        return try context.responseEncoder.encode(page, from: request, context: context)
    }

    /// The document's events live (commits, branches, tags).
    private func events(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try DocumentAccess.reading(try context.requireCaller())
        let documentID = try DocumentInput.documentID(context)
        _ = try await reads.document(documentID, access: access)
        return try await live.stream(request, context, stream: Document.stream(documentID), authorized: true)
    }
}
