/// A three-way line merge that gives what `git merge-file -p` gives (default options,
/// marker size 7): the same clean regions, the same conflicts, the same bytes.
public enum ThreeWayMerge {
    /// Merges the changes `base` → `ours` and `base` → `theirs`. The result is based on
    /// `ours`; each conflict is written between `<<<<<<< <oursLabel>`, `=======` and
    /// `>>>>>>> <theirsLabel>` lines.
    /// With a `favor`, each conflict takes that side's lines and the result is clean.
    public static func merge(base: TextLines, ours: TextLines, theirs: TextLines,
                             oursLabel: String = "ours", theirsLabel: String = "theirs",
                             favor: MergeFavor = .neither) -> MergeResult {
        let toOurs = LineDiff.hunks(from: base, to: ours)
        let toTheirs = LineDiff.hunks(from: base, to: theirs)
        if toOurs.isEmpty { return MergeResult(text: theirs.bytes, conflicts: []) }
        if toTheirs.isEmpty { return MergeResult(text: ours.bytes, conflicts: []) }
        var records = MergeRecords(base: base, ours: ours, theirs: theirs)
        records.combine(toOurs, toTheirs)
        records.refineConflicts()
        records.joinNearbyConflicts()
        return records.write(oursLabel: oursLabel, theirsLabel: theirsLabel, favor: favor)
    }
}

/// Which side a merge's conflicts are resolved to, if any.
public enum MergeFavor: Sendable, Equatable {
    case neither, ours, theirs
}

/// A merge's text, and where its conflicts are.
public struct MergeResult: Sendable, Equatable {
    public let text: [UInt8]
    public let conflicts: [MergeConflict]

    public var isClean: Bool { conflicts.isEmpty }
}

/// One conflict: the lines of each text it stands for.
public struct MergeConflict: Sendable, Equatable {
    /// The base lines of the region the two sides changed differently.
    public let base: Range<Int>
    public let ours: Range<Int>
    public let theirs: Range<Int>
}
