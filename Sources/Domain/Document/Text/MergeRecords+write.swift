extension MergeRecords {
    /// The merged text: ours, with theirs' regions in place of ours' and each conflict
    /// between markers (a side whose last line lacks a newline gets one there), or, when
    /// favouring a side, that side's lines in its place (`git merge-file --ours`/`--theirs`).
    func write(oursLabel: String, theirsLabel: String, favor: MergeFavor = .neither) -> MergeResult {
        var text: [UInt8] = []
        var conflicts: [MergeConflict] = []
        var cursor = 0
        for record in records {
            switch record.mode {
            case .identical:
                continue
            case .ours:
                text += ours.slice(cursor..<(record.ours + record.oursCount))
            case .theirs:
                text += ours.slice(cursor..<record.ours)
                text += theirs.slice(record.theirs..<(record.theirs + record.theirsCount))
            case .conflict where favor == .ours:
                text += ours.slice(cursor..<(record.ours + record.oursCount))
            case .conflict where favor == .theirs:
                text += ours.slice(cursor..<record.ours)
                text += theirs.slice(record.theirs..<(record.theirs + record.theirsCount))
            case .conflict:
                text += ours.slice(cursor..<record.ours)
                let eol: [UInt8] = needsCarriageReturn(record) ? [13, 10] : [10]
                text += Array("<<<<<<< \(oursLabel)".utf8) + eol
                append(ours, record.ours..<(record.ours + record.oursCount), eol: eol, to: &text)
                text += Array("=======".utf8) + eol
                append(theirs, record.theirs..<(record.theirs + record.theirsCount), eol: eol, to: &text)
                text += Array(">>>>>>> \(theirsLabel)".utf8) + eol
                conflicts.append(MergeConflict(base: record.base..<(record.base + record.baseCount),
                                               ours: record.ours..<(record.ours + record.oursCount),
                                               theirs: record.theirs..<(record.theirs + record.theirsCount)))
            }
            cursor = record.ours + record.oursCount
        }
        text += ours.slice(cursor..<ours.count)
        return MergeResult(text: text, conflicts: conflicts)
    }

    private func append(_ lines: TextLines, _ range: Range<Int>, eol: [UInt8], to text: inout [UInt8]) {
        guard !range.isEmpty else { return }
        text += lines.slice(range)
        if !lines.endsWithNewline(range.upperBound - 1) { text += eol }
    }

    /// Markers end in CRLF when the lines before the conflict in ours and in theirs, and
    /// the base's first line, do (an undecided side defers to the next).
    private func needsCarriageReturn(_ record: Record) -> Bool {
        var crlf = Self.endsWithCRLF(ours, record.ours > 0 ? record.ours - 1 : 0)
        if crlf != 0 { crlf = Self.endsWithCRLF(theirs, record.theirs > 0 ? record.theirs - 1 : 0) }
        if crlf != 0 { crlf = Self.endsWithCRLF(base, 0) }
        return crlf == 1
    }

    /// 1 if line `line` ends in CRLF, 0 if in LF alone, -1 when it cannot tell.
    private static func endsWithCRLF(_ lines: TextLines, _ line: Int) -> Int {
        func crlf(_ line: Int) -> Int {
            let range = lines.ranges[line]
            return range.count > 1 && lines.bytes[range.upperBound - 2] == 13 ? 1 : 0
        }
        guard lines.count > 0 else { return -1 }
        if line < lines.count - 1 { return crlf(line) }
        if lines.endsWithNewline(line) { return crlf(line) }
        return line == 0 ? -1 : crlf(line - 1)
    }
}
