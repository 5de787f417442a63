/// The step of blame: which lines of a version came unchanged from a parent.
public enum Blame {
    /// For each line of `child`, the line of `parent` it was kept from unchanged, or nil
    /// when the child wrote it (the line diff's unchanged runs, as `git blame` reads them).
    public static func keptLines(child: TextLines, parent: TextLines) -> [Int?] {
        var kept = [Int?](repeating: nil, count: child.count)
        var oldLine = 0
        var newLine = 0
        for hunk in LineDiff.hunks(from: parent, to: child) {
            while newLine < hunk.newStart {
                kept[newLine] = oldLine
                oldLine += 1
                newLine += 1
            }
            oldLine = hunk.oldEnd
            newLine = hunk.newEnd
        }
        while newLine < child.count {
            kept[newLine] = oldLine
            oldLine += 1
            newLine += 1
        }
        return kept
    }
}
