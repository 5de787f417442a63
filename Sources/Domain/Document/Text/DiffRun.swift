import Foundation

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
        var ids: [LineKey: Int] = [:]
        ids.reserveCapacity(old.count + new.count)
        for (file, text) in [old, new].enumerated() {
            classes[file] = (0..<text.count).map { line in
                let key = LineKey(text[line])
                if let id = ids[key] { return id }
                ids[key] = ids.count
                return ids.count - 1
            }
            changed[file] = [Bool](repeating: false, count: text.count + 2)
        }
    }

    func isChanged(_ file: Int, _ line: Int) -> Bool { changed[file][line + 1] }

    mutating func setChanged(_ file: Int, _ line: Int, _ value: Bool) { changed[file][line + 1] = value }

    var counts: [Int] { [classes[0].count, classes[1].count] }
}

/// A line as a dictionary key: hashed once, with FNV-1a over its bytes (as xdiff hashes
/// records), so that the dictionary's hasher sees one word instead of every byte.
struct LineKey: Hashable {
    let bytes: ArraySlice<UInt8>
    let hash: UInt64

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.hash = bytes.withUnsafeBufferPointer { buffer in
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for byte in buffer { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            return hash
        }
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    static func == (left: LineKey, right: LineKey) -> Bool {
        guard left.hash == right.hash, left.bytes.count == right.bytes.count else { return false }
        return left.bytes.withUnsafeBufferPointer { a in
            right.bytes.withUnsafeBufferPointer { b in
                a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
            }
        }
    }
}
