import Domain
import Testing

@Suite struct CommitGraphTests {
    /// `edges`: commit → parents, added in order.
    static func graph(_ edges: [(String, [String])]) -> CommitGraph {
        var graph = CommitGraph()
        for (commit, parents) in edges { graph.add(commit, parents: parents) }
        return graph
    }

    @Test func fork_hasTheForkPointAsItsBase() {
        let graph = Self.graph([("a", []), ("b", ["a"]), ("c", ["b"]), ("x", ["b"]), ("y", ["x"])])
        #expect(graph.mergeBases("c", "y") == ["b"])
    }

    @Test func ancestor_isTheBaseOfItsDescendant() {
        let graph = Self.graph([("a", []), ("b", ["a"]), ("c", ["b"])])
        #expect(graph.mergeBases("a", "c") == ["a"] && graph.mergeBases("c", "c") == ["c"])
        #expect(graph.isAncestor("a", of: "c") && !graph.isAncestor("c", of: "a"))
    }

    @Test func afterAMerge_theMergedBranchTipIsTheBase() {
        // main: a - b - m (merges x) - c ; topic: a - x - y
        let graph = Self.graph([("a", []), ("b", ["a"]), ("x", ["a"]), ("m", ["b", "x"]), ("c", ["m"]), ("y", ["x"])])
        #expect(graph.mergeBases("c", "y") == ["x"])
    }

    /// Criss-cross: each branch merged the other's tip; both tips are best common ancestors.
    @Test func crissCross_hasTwoBases() {
        let graph = Self.graph([
            ("r", []), ("p", ["r"]), ("q", ["r"]),
            ("m1", ["p", "q"]), ("m2", ["q", "p"]),
            ("s", ["m1"]), ("t", ["m2"]),
        ])
        #expect(graph.mergeBases("s", "t") == ["p", "q"])
    }

    @Test func unrelatedHistories_haveNoBase() {
        let graph = Self.graph([("a", []), ("b", ["a"]), ("z", []), ("y", ["z"])])
        #expect(graph.mergeBases("b", "y").isEmpty)
    }
}
