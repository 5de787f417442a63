extension DiffRun {
    /// A run of changed lines, possibly empty, between two unchanged ones.
    private struct Group {
        var start = 0
        var end = 0
    }

    /// Slides each group of changed lines of one text (the old one first) as far down as
    /// it goes, or, when some position lines it up with a change in the other text, to the
    /// lowest such position (xdiff's compaction without the indent heuristic).
    mutating func compact(first: Bool) {
        let file = first ? 0 : 1, other = 1 - file
        var group = firstGroup(file), partner = firstGroup(other)
        while true {
            if group.end != group.start { compact(&group, file, partner: &partner, other) }
            guard next(file, &group) else { break }
            _ = next(other, &partner)
        }
    }

    private mutating func compact(_ group: inout Group, _ file: Int, partner: inout Group, _ other: Int) {
        var size: Int, earliestEnd: Int, endMatchingOther: Int
        repeat {
            size = group.end - group.start
            endMatchingOther = -1
            while slideUp(file, &group) { _ = previous(other, &partner) }
            earliestEnd = group.end
            if partner.end > partner.start { endMatchingOther = group.end }
            while slideDown(file, &group) {
                _ = next(other, &partner)
                if partner.end > partner.start { endMatchingOther = group.end }
            }
        } while size != group.end - group.start
        if group.end != earliestEnd, endMatchingOther != -1 {
            while partner.end == partner.start {
                _ = slideUp(file, &group)
                _ = previous(other, &partner)
            }
        }
    }

    private func firstGroup(_ file: Int) -> Group {
        var group = Group()
        while isChanged(file, group.end) { group.end += 1 }
        return group
    }

    private func next(_ file: Int, _ group: inout Group) -> Bool {
        guard group.end != counts[file] else { return false }
        group.start = group.end + 1
        group.end = group.start
        while isChanged(file, group.end) { group.end += 1 }
        return true
    }

    private func previous(_ file: Int, _ group: inout Group) -> Bool {
        guard group.start != 0 else { return false }
        group.end = group.start - 1
        group.start = group.end
        while isChanged(file, group.start - 1) { group.start -= 1 }
        return true
    }

    private mutating func slideDown(_ file: Int, _ group: inout Group) -> Bool {
        guard group.end < counts[file], classes[file][group.start] == classes[file][group.end] else { return false }
        setChanged(file, group.start, false)
        group.start += 1
        setChanged(file, group.end, true)
        group.end += 1
        while isChanged(file, group.end) { group.end += 1 }
        return true
    }

    private mutating func slideUp(_ file: Int, _ group: inout Group) -> Bool {
        guard group.start > 0, classes[file][group.start - 1] == classes[file][group.end - 1] else { return false }
        group.start -= 1
        setChanged(file, group.start, true)
        group.end -= 1
        setChanged(file, group.end, false)
        while isChanged(file, group.start - 1) { group.start -= 1 }
        return true
    }

    /// The hunks, in order: where either text has changed lines, walking both in step over the unchanged ones.
    func script() -> [DiffHunk] {
        var hunks: [DiffHunk] = []
        var old = counts[0], new = counts[1]
        while old >= 0 || new >= 0 {
            if old >= 0, new >= 0, isChanged(0, old - 1) || isChanged(1, new - 1) {
                let (oldEnd, newEnd) = (old, new)
                while isChanged(0, old - 1) { old -= 1 }
                while isChanged(1, new - 1) { new -= 1 }
                hunks.append(DiffHunk(oldStart: old, oldCount: oldEnd - old, newStart: new, newCount: newEnd - new))
            }
            old -= 1
            new -= 1
        }
        return hunks.reversed()
    }
}
