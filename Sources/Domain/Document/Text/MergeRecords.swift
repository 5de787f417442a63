/// The regions of a three-way merge, as xdiff builds them: taken from ours, from theirs,
/// changed identically, or in conflict.
struct MergeRecords {
    enum Mode: Equatable { case conflict, ours, theirs, identical }

    struct Record {
        var mode: Mode
        var base: Int, baseCount: Int
        var ours: Int, oursCount: Int
        var theirs: Int, theirsCount: Int
    }

    let base: TextLines
    let ours: TextLines
    let theirs: TextLines
    var records: [Record] = []

    init(base: TextLines, ours: TextLines, theirs: TextLines) {
        self.base = base
        self.ours = ours
        self.theirs = theirs
    }

    /// Walks both hunk lists in base order: a hunk clear of the other side's is taken from
    /// its side; hunks that overlap or touch are identical (same base lines, same
    /// replacement) or a conflict spanning both.
    mutating func combine(_ toOurs: [DiffHunk], _ toTheirs: [DiffHunk]) {
        var (i, j) = (0, 0)
        while i < toOurs.count, j < toTheirs.count {
            let a = toOurs[i], b = toTheirs[j]
            if a.oldEnd < b.oldStart {
                append(Record(mode: .ours, base: a.oldStart, baseCount: a.oldCount, ours: a.newStart, oursCount: a.newCount,
                              theirs: b.newStart - b.oldStart + a.oldStart, theirsCount: a.oldCount))
                i += 1
                continue
            }
            if b.oldEnd < a.oldStart {
                append(Record(mode: .theirs, base: b.oldStart, baseCount: b.oldCount, ours: a.newStart - a.oldStart + b.oldStart,
                              oursCount: b.oldCount, theirs: b.newStart, theirsCount: b.newCount))
                j += 1
                continue
            }
            if !isIdentical(a, b) { append(conflict(a, b)) }
            if a.oldEnd >= b.oldEnd { j += 1 }
            if b.oldEnd >= a.oldEnd { i += 1 }
        }
        for a in toOurs[i...] {
            append(Record(mode: .ours, base: a.oldStart, baseCount: a.oldCount, ours: a.newStart, oursCount: a.newCount,
                          theirs: a.oldStart + theirs.count - base.count, theirsCount: a.oldCount))
        }
        for b in toTheirs[j...] {
            append(Record(mode: .theirs, base: b.oldStart, baseCount: b.oldCount, ours: b.oldStart + ours.count - base.count,
                          oursCount: b.oldCount, theirs: b.newStart, theirsCount: b.newCount))
        }
    }

    private func isIdentical(_ a: DiffHunk, _ b: DiffHunk) -> Bool {
        a.oldStart == b.oldStart && a.oldCount == b.oldCount && a.newCount == b.newCount
            && ours.slice(a.newStart..<a.newEnd) == theirs.slice(b.newStart..<b.newEnd)
    }

    /// The conflict covering both hunks, widened on each side to the other's base lines.
    private func conflict(_ a: DiffHunk, _ b: DiffHunk) -> Record {
        let off = a.oldStart - b.oldStart
        let ffo = off + a.oldCount - b.oldCount
        var start = (base: a.oldStart, ours: a.newStart, theirs: b.newStart)
        if off > 0 {
            start.base -= off
            start.ours -= off
        } else {
            start.theirs += off
        }
        var record = Record(mode: .conflict, base: start.base, baseCount: a.oldEnd - start.base, ours: start.ours,
                            oursCount: a.newEnd - start.ours, theirs: start.theirs, theirsCount: b.newEnd - start.theirs)
        if ffo < 0 {
            record.baseCount -= ffo
            record.oursCount -= ffo
        } else {
            record.theirsCount += ffo
        }
        return record
    }

    /// Adds `record`, or folds it into the last one when they overlap or touch in ours or
    /// in theirs (a conflict unless both take the same side).
    private mutating func append(_ record: Record) {
        guard var last = records.last,
              record.ours <= last.ours + last.oursCount || record.theirs <= last.theirs + last.theirsCount else {
            records.append(record)
            return
        }
        if record.mode != last.mode { last.mode = .conflict }
        last.baseCount = record.base + record.baseCount - last.base
        last.oursCount = record.ours + record.oursCount - last.ours
        last.theirsCount = record.theirs + record.theirsCount - last.theirs
        records[records.count - 1] = last
    }
}
