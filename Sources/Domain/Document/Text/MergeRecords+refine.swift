extension MergeRecords {
    /// Narrows each conflict with lines on both sides to the lines that differ, by a diff
    /// of the two sides: a conflict whose sides are equal is resolved; one whose sides
    /// differ in several places becomes several conflicts, with the common lines between.
    mutating func refineConflicts() {
        var refined: [Record] = []
        for record in records {
            guard record.mode == .conflict, record.oursCount > 0, record.theirsCount > 0 else {
                refined.append(record)
                continue
            }
            let mine = TextLines(Array(ours.slice(record.ours..<(record.ours + record.oursCount))))
            let other = TextLines(Array(theirs.slice(record.theirs..<(record.theirs + record.theirsCount))))
            let hunks = LineDiff.hunks(from: mine, to: other)
            guard !hunks.isEmpty else {
                var resolved = record
                resolved.mode = .identical
                refined.append(resolved)
                continue
            }
            for hunk in hunks {
                refined.append(Record(mode: .conflict, base: record.base, baseCount: record.baseCount,
                                      ours: record.ours + hunk.oldStart, oursCount: hunk.oldCount,
                                      theirs: record.theirs + hunk.newStart, theirsCount: hunk.newCount))
            }
        }
        records = refined
    }

    /// Joins two conflicts in a row when at most three lines of ours lie between them, or
    /// when none of those lines holds an ASCII letter or digit.
    mutating func joinNearbyConflicts() {
        var index = 0
        while index + 1 < records.count {
            let (current, next) = (records[index], records[index + 1])
            let gap = (current.ours + current.oursCount)..<max(next.ours, current.ours + current.oursCount)
            guard current.mode == .conflict, next.mode == .conflict,
                  gap.count <= 3 || !ours.slice(gap).contains(where: Self.isAlphanumeric) else {
                index += 1
                continue
            }
            records[index].oursCount = next.ours + next.oursCount - current.ours
            records[index].theirsCount = next.theirs + next.theirsCount - current.theirs
            records[index].baseCount = max(current.base + current.baseCount, next.base + next.baseCount) - current.base
            records.remove(at: index + 1)
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }
}
