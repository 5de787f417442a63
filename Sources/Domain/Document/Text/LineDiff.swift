/// The lines that changed between two texts, chosen as `git diff --no-indent-heuristic`
/// and `git merge-file` choose them (xdiff's Myers: ends trimmed, lines without a match
/// set aside first, the same tie-breaks and cost cut-off, ambiguous hunks slid down), so
/// that merges agree with git's hunk for hunk.
public enum LineDiff {
    /// The hunks turning `old` into `new`, in order, with at least one unchanged line
    /// between two hunks.
    public static func hunks(from old: TextLines, to new: TextLines) -> [DiffHunk] {
        var run = DiffRun(old, new)
        run.markChanges()
        run.compact(first: true)
        run.compact(first: false)
        return run.script()
    }
}
