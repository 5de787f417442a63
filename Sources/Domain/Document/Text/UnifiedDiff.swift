/// Hunks as a unified diff (`text/x-diff`, the form `git apply` and `patch` read): hunks
/// whose contexts meet are joined, and a line without a final newline is followed by
/// `\ No newline at end of file`.
public enum UnifiedDiff {
    /// The diff from `old` to `new` by `hunks` (``LineDiff/hunks(from:to:)``) with
    /// `context` unchanged lines around each change; empty when there are no hunks.
    public static func render(from old: TextLines, to new: TextLines, hunks: [DiffHunk], context: Int = 3,
                              oldLabel: String = "a", newLabel: String = "b") -> [UInt8] {
        guard !hunks.isEmpty else { return [] }
        var out: [UInt8] = Array("--- \(oldLabel)\n+++ \(newLabel)\n".utf8)
        for group in groups(hunks, context: context) {
            writeGroup(group, old: old, new: new, context: context, into: &out)
        }
        return out
    }

    /// Runs of hunks at most `2 × context` unchanged lines apart.
    static func groups(_ hunks: [DiffHunk], context: Int) -> [ArraySlice<DiffHunk>] {
        var groups: [ArraySlice<DiffHunk>] = []
        var start = 0
        for index in 1..<(hunks.count + 1) where index == hunks.count || hunks[index].oldStart - hunks[index - 1].oldEnd > 2 * context {
            groups.append(hunks[start..<index])
            start = index
        }
        return groups
    }

    private static func writeGroup(_ group: ArraySlice<DiffHunk>, old: TextLines, new: TextLines, context: Int,
                                   into out: inout [UInt8]) {
        let first = group.first!, last = group.last!
        let oldFrom = max(0, first.oldStart - context), oldTo = min(old.count, last.oldEnd + context)
        let newFrom = first.newStart - (first.oldStart - oldFrom), newTo = last.newEnd + (oldTo - last.oldEnd)
        out += Array("@@ -\(range(oldFrom, oldTo - oldFrom)) +\(range(newFrom, newTo - newFrom)) @@\n".utf8)
        var cursor = oldFrom
        for hunk in group {
            for line in cursor..<hunk.oldStart { write(" ", old, line, into: &out) }
            for line in hunk.oldStart..<hunk.oldEnd { write("-", old, line, into: &out) }
            for line in hunk.newStart..<hunk.newEnd { write("+", new, line, into: &out) }
            cursor = hunk.oldEnd
        }
        for line in cursor..<oldTo { write(" ", old, line, into: &out) }
    }

    /// `start,count` with a 1-based start (the line before, for an empty range; the count
    /// left out when it is 1), as diff prints it.
    private static func range(_ start: Int, _ count: Int) -> String {
        switch count {
        case 0: "\(start),0"
        case 1: "\(start + 1)"
        default: "\(start + 1),\(count)"
        }
    }

    private static func write(_ prefix: Character, _ lines: TextLines, _ line: Int, into out: inout [UInt8]) {
        out.append(prefix.asciiValue!)
        out += lines[line]
        if !lines.endsWithNewline(line) { out += Array("\n\\ No newline at end of file\n".utf8) }
    }
}
