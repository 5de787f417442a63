import Domain
import Testing

@Suite struct WordDiffTests {
    @Test func aChangedWord_isRemovedAndAdded_theRestKept() {
        #expect(WordDiff.segments(from: "The quick brown fox.\n", to: "The quick red fox.\n") == [
            .init(.equal, "The quick "), .init(.removed, "brown"), .init(.added, "red"), .init(.equal, " fox.\n"),
        ])
    }

    @Test func insertionsAndDeletions_atTheEnds() {
        #expect(WordDiff.segments(from: "a b", to: "x a b c") == [
            .init(.added, "x "), .init(.equal, "a b"), .init(.added, " c"),
        ])
        #expect(WordDiff.segments(from: "", to: "new") == [.init(.added, "new")])
        #expect(WordDiff.segments(from: "gone", to: "") == [.init(.removed, "gone")])
    }

    @Test(arguments: [("Ünïcode wörds, 42 times!", "Ünïcode words, 43 times?"), ("a\tb  c", "a b\nc"), ("same", "same")])
    func bothSides_rebuildFromTheSegments(_ old: String, _ new: String) {
        let segments = WordDiff.segments(from: old, to: new)
        #expect(segments.filter { $0.kind != .added }.map(\.text).joined() == old)
        #expect(segments.filter { $0.kind != .removed }.map(\.text).joined() == new)
    }
}
