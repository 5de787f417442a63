import Domain
import Foundation

/// Three-way merges of a document's commits, as git's recursive strategy makes them: the
/// merge base is the best common ancestor; several (after criss-cross merges) are first
/// merged into one virtual base, conflicts and all.
struct DocumentMerger {
    let reads: DocumentReads
    let state: DocumentState
    let tenant: String

    /// The most merge bases folded into a virtual one, all levels together.
    static let maximumVirtualMerges = 32

    struct Outcome {
        let result: MergeResult
        let base: TextLines
        let ours: TextLines
        let theirs: TextLines
        let bases: [String]
    }

    /// Merges `theirs` into `ours`.
    /// - Throws: ``APIError`` 400 `unrelated-histories` when they share no commit and
    ///   `allowUnrelated` is false; 422 when the virtual base needs too many merges.
    func merge(ours: DocumentCommit, theirs: DocumentCommit, oursLabel: String, theirsLabel: String,
               favor: MergeFavor, allowUnrelated: Bool) async throws -> Outcome {
        var graph = state.graph
        var budget = Self.maximumVirtualMerges
        var texts: [String: [UInt8]] = [:]
        let bases = graph.mergeBases(ours.id, theirs.id)
        guard !bases.isEmpty || allowUnrelated else {
            throw APIError(.badRequest, "unrelated-histories", "Unrelated histories",
                           detail: "\(theirsLabel) and \(oursLabel) share no commit; merge with allow_unrelated_histories: true to use an empty base")
        }
        let base = bases.isEmpty ? [] : try await virtualBase(of: bases, graph: &graph, budget: &budget, texts: &texts)
        let lines = (base: TextLines(base), ours: TextLines(try await content(ours.id, texts)),
                     theirs: TextLines(try await content(theirs.id, texts)))
        let result = ThreeWayMerge.merge(base: lines.base, ours: lines.ours, theirs: lines.theirs, oursLabel: oursLabel,
                                         theirsLabel: theirsLabel, favor: favor)
        return Outcome(result: result, base: lines.base, ours: lines.ours, theirs: lines.theirs, bases: bases)
    }

    /// `bases` merged pairwise into one text, each pair on its own merge bases (recursively).
    private func virtualBase(of bases: [String], graph: inout CommitGraph, budget: inout Int,
                             texts: inout [String: [UInt8]]) async throws -> [UInt8] {
        var merged = bases[0]
        var text = try await content(merged, texts)
        for next in bases.dropFirst() {
            budget -= 1
            guard budget >= 0 else {
                throw APIError(.unprocessableContent, "merge-too-complex", "Merge too complex",
                               detail: "the merge bases need more than \(Self.maximumVirtualMerges) merges into a virtual base")
            }
            let inner = graph.mergeBases(merged, next)
            let innerBase = inner.isEmpty ? [] : try await virtualBase(of: inner, graph: &graph, budget: &budget, texts: &texts)
            text = ThreeWayMerge.merge(base: TextLines(innerBase), ours: TextLines(text), theirs: TextLines(try await content(next, texts)),
                                       oursLabel: "Temporary merge branch 1", theirsLabel: "Temporary merge branch 2").text
            let virtual = "virtual:\(budget)"
            graph.add(virtual, parents: [merged, next])
            texts[virtual] = text
            merged = virtual
        }
        return text
    }

    /// The text of commit `id`, or of a virtual base made earlier.
    private func content(_ id: String, _ texts: [String: [UInt8]]) async throws -> [UInt8] {
        if let text = texts[id] { return text }
        guard let commit = state.commits[id] else { throw DocumentError.unknownRef(id) }
        return try await reads.content(of: commit, in: state, tenant: tenant)
    }
}
