import Domain
import EventStore
import Foundation
import Hummingbird

/// The routes that compare a document's versions: diff, merge, revert and blame.
struct DocumentMergesController {
    let controller: DocumentsController
    var reads: DocumentReads { controller.reads }

    /// The most conflicts a refused merge lists, and lines per side of each.
    static let maximumConflictsShown = 100
    static let maximumConflictLinesShown = 200

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/documents/:id/diff") { request, context in try await diff(request, context) }
        router.post("/v1/documents/:id/merge") { request, context in try await merge(request, context) }
        router.post("/v1/documents/:id/revert") { request, context in try await revert(request, context) }
        router.get("/v1/documents/:id/blame") { request, context in try await blame(request, context) }
    }

    /// `?from=&to=` (refs); `format=unified` or `Accept: text/x-diff` for a unified diff
    /// (`context=` lines, default 3), else JSON hunks.
    private func diff(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try DocumentAccess.reading(try context.requireCaller())
        let documentID = try DocumentInput.documentID(context)
        let input = QueryInput(request: request)
        guard let fromRef = try input.string("from"), let toRef = try input.string("to") else {
            throw APIError.invalid("from", "from and to are both required (a branch, tag or commit id each)")
        }
        let lines = try input.int("context", in: 0...1_000) ?? 3
        let unified = try Self.wantsUnified(request, format: try input.string("format", maximumLength: 10))
        let words = switch try input.string("granularity", maximumLength: 10) {
        case nil, "line": false
        case "word": true
        default: throw APIError.invalid("granularity", "must be line or word")
        }
        let folded = try await reads.document(documentID, access: access)
        let (from, to) = (try reads.commit(fromRef, in: folded.state), try reads.commit(toRef, in: folded.state))
        let old = TextLines(try await reads.content(of: from, in: folded.state, tenant: access.tenant))
        let new = TextLines(try await reads.content(of: to, in: folded.state, tenant: access.tenant))
        let hunks = from.content.sha256 == to.content.sha256 ? [] : LineDiff.hunks(from: old, to: new)
        let etag = "\"\(from.id)..\(to.id)\(unified ? "-u\(lines)" : words ? "-w" : "")\""
        if unified {
            if let notModified = try ReadResponse.notModified(request, etag: etag) { return notModified }
            let text = UnifiedDiff.render(from: old, to: new, hunks: hunks, context: lines, oldLabel: "a/\(fromRef)", newLabel: "b/\(toRef)")
            return Response(status: .ok, headers: [.contentType: "text/x-diff; charset=utf-8", .eTag: etag],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
        }
        var wordBudget = Self.maximumWordDiffBytesPerRequest
        let view = DiffView(from: from.id, to: to.id, hunks: hunks.map { hunk in
            DiffView.Hunk(oldStart: hunk.oldStart, oldCount: hunk.oldCount, newStart: hunk.newStart, newCount: hunk.newCount,
                          removed: (hunk.oldStart..<hunk.oldEnd).map { Self.text(old[$0]) },
                          added: (hunk.newStart..<hunk.newEnd).map { Self.text(new[$0]) },
                          words: words ? Self.words(old.slice(hunk.oldStart..<hunk.oldEnd), new.slice(hunk.newStart..<hunk.newEnd),
                                                    budget: &wordBudget) : nil)
        }, identical: hunks.isEmpty)
        return try ReadResponse.json(view, request: request, context: context, etag: etag)
    }

    /// The most bytes per side a hunk's word diff is made for, and for all hunks of one request.
    static let maximumWordDiffBytes = 64 << 10
    static let maximumWordDiffBytesPerRequest = 1 << 20

    /// A hunk's word diff, counted against `budget`; nil when a side is over
    /// ``maximumWordDiffBytes`` or the request's budget is spent.
    private static func words(_ removed: ArraySlice<UInt8>, _ added: ArraySlice<UInt8>, budget: inout Int) -> [DiffView.Word]? {
        guard removed.count <= maximumWordDiffBytes, added.count <= maximumWordDiffBytes,
              removed.count + added.count <= budget else { return nil }
        budget -= removed.count + added.count
        return WordDiff.segments(from: text(removed), to: text(added)).map { DiffView.Word(kind: $0.kind.rawValue, text: $0.text) }
    }

    private static func wantsUnified(_ request: Request, format: String?) throws -> Bool {
        switch format {
        case "unified": return true
        case "json": return false
        case nil: return request.headers[.accept]?.lowercased().contains("text/x-diff") == true
        default: throw APIError.invalid("format", "must be json or unified")
        }
    }

    /// A line as JSON text: its bytes as UTF-8 (invalid sequences replaced), its newline kept.
    static func text(_ line: ArraySlice<UInt8>) -> String { String(decoding: line, as: UTF8.self) }

    /// Merges `source` into branch `into`: a clean merge (or a strategy that favours a
    /// side) writes a merge commit with both parents; conflicts are a 409 listing them,
    /// and nothing is written. Merging what the branch already holds changes nothing.
    private func merge(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try DocumentAccess.writing(try context.requireCaller())
        let documentID = try DocumentInput.documentID(context)
        let body = try await JSONBody(request: request, context: context, limit: controller.maximumBodySize).decode(MergeInput.self)
        let favor: MergeFavor = switch body.strategy ?? "three-way" {
        case "three-way": .neither
        case "ours": .ours
        case "theirs": .theirs
        default: throw APIError.invalid("strategy", "must be three-way, ours or theirs")
        }
        let folded = try await reads.document(documentID, access: access)
        let state = folded.state
        let theirs = try reads.commit(body.source, in: state)
        guard let head = state.branches[body.into], let ours = state.commits[head] else { throw DocumentError.unknownRef(body.into) }
        if let expected = body.expectedHead, expected != head {
            throw DocumentError.headMoved(branch: body.into, expected: expected, current: head)
        }
        if state.graph.isAncestor(theirs.id, of: ours.id) {
            return try await Self.upToDate(CommitView(ours), request: request, context: context)
        }
        let merged = try await DocumentMerger(reads: reads, state: state, tenant: access.tenant).merge(
            ours: ours, theirs: theirs, oursLabel: body.into, theirsLabel: body.source, favor: favor,
            allowUnrelated: body.allowUnrelatedHistories ?? false)
        guard merged.result.isClean else { throw Self.conflicts(merged, source: body.source, into: body.into) }
        try controller.requireWithinLimit(merged.result.text)
        let content = DocumentContent(sha256: ContentHash.hex(merged.result.text), size: Int64(merged.result.text.count),
                                      mimeType: ours.content.mimeType, modality: ours.content.modality)
        let draft = try controller.draft(branch: body.into, expectedHead: head, mergeParent: theirs.id, access: access,
                                         authorName: body.authorName, message: body.message ?? "Merge \(body.source) into \(body.into)",
                                         content: content, attributes: [], fence: nil, documentID: documentID)
        return try await controller.write(draft, bytes: merged.result.text, request, context, access: access,
                                          documentID: documentID).response(from: request, context: context)
    }

    private static func upToDate(_ head: CommitView, request: Request, context: AppRequestContext) async throws -> Response {
        var response = try context.responseEncoder.encode(head, from: request, context: context)
        response.headers[.eventloomCommit] = head.id
        return response
    }

    /// 409 `merge-conflict`, with each conflict's base, ours and theirs lines.
    static func conflicts(_ merged: DocumentMerger.Outcome, source: String, into: String) -> APIError {
        let conflicts = merged.result.conflicts
        var problem = APIError(.conflict, "merge-conflict", "Merge conflict",
                               detail: "merging \(source) into \(into) conflicts in \(conflicts.count) place(s); nothing was written. "
                                   + "Resolve them and commit with merge_parent set to the source's commit")
        func side(_ lines: TextLines, _ range: Range<Int>) -> ProblemMember {
            let shown = range.prefix(maximumConflictLinesShown)
            return .object(["start": .int(Int64(range.lowerBound)), "count": .int(Int64(range.count)),
                            "lines": .array(shown.map { .string(text(lines[$0])) })])
        }
        problem.extra = [
            "merge_bases": .array(merged.bases.map { .string($0) }),
            "conflicts": .array(conflicts.prefix(maximumConflictsShown).map { conflict in
                .object(["base": side(merged.base, conflict.base), "ours": side(merged.ours, conflict.ours),
                         "theirs": side(merged.theirs, conflict.theirs)])
            }),
        ]
        return problem
    }

    /// Undoes `commit` on `branch`: its change reversed onto the branch's head by a
    /// three-way merge (base: the commit, theirs: its parent). Conflicts are a 409.
    private func revert(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try DocumentAccess.writing(try context.requireCaller())
        let documentID = try DocumentInput.documentID(context)
        let body = try await JSONBody(request: request, context: context, limit: controller.maximumBodySize).decode(RevertInput.self)
        let folded = try await reads.document(documentID, access: access)
        let state = folded.state
        let reverted = try reads.commit(body.commit, in: state)
        guard let head = state.branches[body.branch], let ours = state.commits[head] else { throw DocumentError.unknownRef(body.branch) }
        if let expected = body.expectedHead, expected != head {
            throw DocumentError.headMoved(branch: body.branch, expected: expected, current: head)
        }
        guard state.graph.isAncestor(reverted.id, of: head) else {
            throw APIError.invalid("commit", "is not in the history of \(body.branch)")
        }
        guard reverted.parents.count <= 1 else { throw APIError.invalid("commit", "is a merge; revert one of its parents' changes instead") }
        let texts = (base: TextLines(try await reads.content(of: reverted, in: state, tenant: access.tenant)),
                     ours: TextLines(try await reads.content(of: ours, in: state, tenant: access.tenant)),
                     theirs: TextLines(try await reverted.parents.first.flatMap { state.commits[$0] }
                         .asyncMap { try await reads.content(of: $0, in: state, tenant: access.tenant) } ?? []))
        let result = ThreeWayMerge.merge(base: texts.base, ours: texts.ours, theirs: texts.theirs, oursLabel: body.branch,
                                         theirsLabel: "revert \(reverted.id)")
        guard result.isClean else {
            throw Self.conflicts(DocumentMerger.Outcome(result: result, base: texts.base, ours: texts.ours, theirs: texts.theirs,
                                                        bases: [reverted.id]), source: "revert of \(reverted.id)", into: body.branch)
        }
        try controller.requireWithinLimit(result.text)
        let content = DocumentContent(sha256: ContentHash.hex(result.text), size: Int64(result.text.count),
                                      mimeType: ours.content.mimeType, modality: ours.content.modality)
        let draft = try controller.draft(branch: body.branch, expectedHead: head, mergeParent: nil, access: access,
                                         authorName: body.authorName, message: body.message ?? "Revert \(reverted.id)",
                                         content: content, attributes: [], fence: nil, documentID: documentID)
        return try await controller.write(draft, bytes: result.text, request, context, access: access, documentID: documentID)
            .response(from: request, context: context)
    }

    /// `?ref=` (default: the default branch): each line with the commit that last changed it.
    private func blame(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let access = try DocumentAccess.reading(try context.requireCaller())
        let documentID = try DocumentInput.documentID(context)
        let folded = try await reads.document(documentID, access: access)
        let ref = try QueryInput(request: request).string("ref") ?? folded.state.record?.defaultBranch ?? ""
        let head = try reads.commit(ref, in: folded.state)
        let blamed = try await DocumentBlame(reads: reads, state: folded.state, tenant: access.tenant).lines(of: head)
        let lines = blamed.commits.enumerated().map { index, id in
            let commit = folded.state.commits[id] ?? head
            return BlameView.Line(line: index + 1, commit: id, author: AuthorView(commit.author), committedAt: APITime.text(commit.at),
                                  text: Self.text(blamed.text[index]))
        }
        return try ReadResponse.json(BlameView(ref: ref, commit: head.id, complete: blamed.complete, lines: lines),
                                     request: request, context: context,
                                     etag: "\"blame-\(head.id)\"")
    }
}

extension Optional {
    /// The value mapped by an async `transform`, or nil.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
