extension DiffRun {
    /// Marks every changed line: the common ends are trimmed, lines set aside (no match in
    /// the other text, or too frequent among unmatched neighbours) are changed at once, and
    /// Myers compares what is left.
    mutating func markChanges() {
        let (prefix, suffix) = commonEnds()
        setAside(prefix: prefix, suffix: suffix)
        var compare = MyersCompare(a: kept[0], b: kept[1])
        compare.run()
        for (index, line) in keptLines[0].enumerated() where compare.changedA[index] { setChanged(0, line, true) }
        for (index, line) in keptLines[1].enumerated() where compare.changedB[index] { setChanged(1, line, true) }
    }

    /// The lengths of the common first and last lines.
    private func commonEnds() -> (prefix: Int, suffix: Int) {
        let (a, b) = (classes[0], classes[1])
        var prefix = 0
        while prefix < min(a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(a.count, b.count) - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        return (prefix, suffix)
    }

    private enum Disposition { case discard, keep, investigate }

    /// Sorts the untrimmed lines of each text into kept and set aside (changed).
    private mutating func setAside(prefix: Int, suffix: Int) {
        var occurrences: [[Int: Int]] = [[:], [:]]
        for file in 0...1 { for id in classes[file] { occurrences[file][id, default: 0] += 1 } }
        for file in 0...1 {
            let other = occurrences[1 - file]
            let lines = classes[file]
            let limit = min(1024, Self.roughSquareRoot(lines.count))
            let middle = prefix..<(lines.count - suffix)
            let initial: [Disposition] = middle.map { line in
                let matches = other[lines[line]] ?? 0
                return matches == 0 ? .discard : matches >= limit ? .investigate : .keep
            }
            for (offset, line) in middle.enumerated() {
                let keep: Bool = switch initial[offset] {
                case .keep: true
                case .discard: false
                case .investigate: !Self.mostlySetAside(initial, offset)
                }
                if keep {
                    kept[file].append(lines[line])
                    keptLines[file].append(line)
                } else {
                    setChanged(file, line, true)
                }
            }
        }
    }

    /// Whether a frequent line sits among lines set aside: within 100 lines either way
    /// up to the nearest kept line, at least one set aside on each side, and more than
    /// three times as many set aside as frequent ones (itself counted twice).
    private static func mostlySetAside(_ dispositions: [Disposition], _ index: Int) -> Bool {
        func scan(_ step: Int) -> (discarded: Int, frequent: Int) {
            var discarded = 0, frequent = 0, position = index + step
            while position >= 0, position < dispositions.count, abs(position - index) <= 100 {
                switch dispositions[position] {
                case .discard: discarded += 1
                case .investigate: frequent += 1
                case .keep: return (discarded, frequent)
                }
                position += step
            }
            return (discarded, frequent)
        }
        let before = scan(-1)
        guard before.discarded > 0 else { return false }
        let after = scan(1)
        guard after.discarded > 0 else { return false }
        let frequent = 2 + before.frequent + after.frequent
        return frequent * 4 < frequent + before.discarded + after.discarded
    }

    /// xdiff's rough square root: a power of two near √n (1 for 0).
    static func roughSquareRoot(_ n: Int) -> Int {
        var root = 1, rest = n
        while rest > 0 {
            root *= 2
            rest >>= 2
        }
        return root
    }
}
