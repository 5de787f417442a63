/// One diff between two texts, as xdiff runs it: line classes, changed marks per line
/// (with a false sentinel on either side), and the kept lines Myers compares.
struct DiffRun {
    /// Each line's class in each text: equal classes, equal bytes.
    var classes: [[Int]] = [[], []]
    /// `changed[f][line + 1]`: whether `line` of text `f` changed; indexes 0 and count + 1 stay false.
    var changed: [[Bool]] = [[], []]
    /// The classes of the lines Myers compares, and their line numbers.
    var kept: [[Int]] = [[], []]
    var keptLines: [[Int]] = [[], []]

    init(_ old: TextLines, _ new: TextLines) {
        var ids: [ArraySlice<UInt8>: Int] = [:]
        for (file, text) in [old, new].enumerated() {
            classes[file] = (0..<text.count).map { line in
                let bytes = text[line]
                if let id = ids[bytes] { return id }
                ids[bytes] = ids.count
                return ids.count - 1
            }
            changed[file] = [Bool](repeating: false, count: text.count + 2)
        }
    }

    func isChanged(_ file: Int, _ line: Int) -> Bool { changed[file][line + 1] }

    mutating func setChanged(_ file: Int, _ line: Int, _ value: Bool) { changed[file][line + 1] = value }

    var counts: [Int] { [classes[0].count, classes[1].count] }
}
