import Foundation

/// Texts to edit: the lines of the project's own docs, and random edits of them
/// (insertions, deletions, changed lines, moved blocks), from a seeded generator.
struct EditCorpus {
    let lines: [String]
    private var random: SeededRandom

    init(seed: UInt64) throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs")
        let files = try FileManager.default.contentsOfDirectory(at: docs, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }.sorted { $0.path < $1.path }
        lines = try files.flatMap { try String(contentsOf: $0, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        random = SeededRandom(seed: seed)
    }

    /// A window of 1-`maximum` consecutive doc lines (sometimes without a final newline).
    mutating func base(maximum: Int) -> [String] {
        let count = random.next(in: 1...maximum)
        let start = random.next(in: 0...(lines.count - count))
        return Array(lines[start..<(start + count)])
    }

    /// `text` after 1-`maximum` random edits.
    mutating func edit(_ text: [String], maximum: Int) -> [String] {
        var text = text
        for _ in 0..<random.next(in: 1...maximum) {
            let position = random.next(in: 0...text.count)
            switch random.next(in: 0...5) {
            case 0, 1:
                let inserted = (0..<random.next(in: 1...3)).map { _ in lines[random.next(in: 0...(lines.count - 1))] }
                text.insert(contentsOf: inserted, at: position)
            case 2 where !text.isEmpty:
                let start = min(position, text.count - 1)
                text.removeSubrange(start..<min(text.count, start + random.next(in: 1...3)))
            case 3 where !text.isEmpty:
                let line = min(position, text.count - 1)
                text[line] = random.next(in: 0...1) == 0 ? text[line].uppercased() : text[line] + " (edited)"
            case 4 where text.count > 2:
                let start = random.next(in: 0...(text.count - 2))
                let block = Array(text[start..<min(text.count, start + random.next(in: 1...3))])
                text.removeSubrange(start..<(start + block.count))
                text.insert(contentsOf: block, at: random.next(in: 0...text.count))
            default:
                text.insert(["", "}", "--", "    return x"][random.next(in: 0...3)], at: position)
            }
        }
        return text
    }

    /// The bytes of `lines`, each ending in `\n` unless `lastNewline` is false.
    mutating func bytes(_ lines: [String]) -> [UInt8] {
        let text = lines.joined(separator: "\n")
        let lastNewline = random.next(in: 0...9) > 0
        return Array((lines.isEmpty ? "" : text + (lastNewline ? "\n" : "")).utf8)
    }

    mutating func chance(_ percent: Int) -> Bool { random.next(in: 0...99) < percent }
}

/// SplitMix64: the same cases on every run for a seed.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(in range: ClosedRange<Int>) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return range.lowerBound + Int(z % UInt64(range.count))
    }
}
