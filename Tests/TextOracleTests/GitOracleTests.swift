import Domain
import Foundation
import Testing

/// Git as the oracle: on a generated corpus of edits of the project's own docs, the line
/// diff's hunks equal `git diff`'s and apply back exactly, and three-way merges (clean or
/// conflicted, conflict regions and all) equal `git merge-file`'s output byte for byte.
@Suite struct GitOracleTests {
    static let cases = 600

    @Test func diff_equalsGitsHunks_andAppliesBackExactly() throws {
        let oracle = try GitOracle()
        defer { oracle.remove() }
        var corpus = try EditCorpus(seed: 14)
        for index in 0..<Self.cases {
            let base = corpus.base(maximum: 120)
            let edited = corpus.edit(base, maximum: 8)
            let old = TextLines(corpus.bytes(base))
            let new = TextLines(corpus.bytes(edited))
            let hunks = LineDiff.hunks(from: old, to: new)
            #expect(Self.apply(hunks, from: old, to: new) == new.bytes, "case \(index): the hunks do not rebuild the new text")
            let git = try oracle.diffHunks(old: old.bytes, new: new.bytes)
            let ours = hunks.map { [$0.oldStart, $0.oldCount, $0.newStart, $0.newCount] }
            #expect(ours == git, "case \(index): \(ours) against git's \(git)")
        }
    }

    @Test func unifiedDiff_appliedByGitApply_rebuildsTheNewTextExactly() throws {
        let oracle = try GitOracle()
        defer { oracle.remove() }
        var corpus = try EditCorpus(seed: 7)
        for index in 0..<Self.cases {
            let base = corpus.base(maximum: 120)
            let edited = corpus.edit(base, maximum: 8)
            let old = TextLines(corpus.bytes(base))
            let new = TextLines(corpus.bytes(edited))
            let hunks = LineDiff.hunks(from: old, to: new)
            let patch = UnifiedDiff.render(from: old, to: new, hunks: hunks, oldLabel: "a/doc", newLabel: "b/doc")
            guard !hunks.isEmpty else {
                #expect(patch.isEmpty)
                continue
            }
            #expect(try oracle.apply(patch, to: old.bytes) == new.bytes, "case \(index): git apply did not rebuild the new text")
        }
    }

    @Test func merge_equalsGitMergeFile_cleanOrConflicted() throws {
        let oracle = try GitOracle()
        defer { oracle.remove() }
        var corpus = try EditCorpus(seed: 2026)
        var conflicted = 0
        for index in 0..<Self.cases {
            let baseLines = corpus.base(maximum: 80)
            let oursLines = corpus.edit(baseLines, maximum: 5)
            let fromOurs = corpus.chance(15)
            let theirsLines = corpus.edit(fromOurs ? oursLines : baseLines, maximum: fromOurs ? 2 : 5)
            let base = corpus.bytes(baseLines)
            let ours = corpus.bytes(oursLines)
            let theirs = corpus.bytes(theirsLines)
            let merged = ThreeWayMerge.merge(base: TextLines(base), ours: TextLines(ours), theirs: TextLines(theirs))
            let git = try oracle.mergeFile(base: base, ours: ours, theirs: theirs)
            #expect(merged.text == git.output, "case \(index): merged text differs from git merge-file's")
            #expect(Int32(min(127, merged.conflicts.count)) == git.status, "case \(index): conflict count")
            if !merged.isClean { conflicted += 1 }
        }
        #expect(conflicted >= Self.cases / 10, "the corpus must exercise conflicts: \(conflicted) of \(Self.cases)")
    }

    /// `old` with each hunk's lines replaced by the new text's.
    static func apply(_ hunks: [DiffHunk], from old: TextLines, to new: TextLines) -> [UInt8] {
        var result: [UInt8] = []
        var cursor = 0
        for hunk in hunks {
            result += old.slice(cursor..<hunk.oldStart)
            result += new.slice(hunk.newStart..<hunk.newEnd)
            cursor = hunk.oldEnd
        }
        return result + old.slice(cursor..<old.count)
    }
}
