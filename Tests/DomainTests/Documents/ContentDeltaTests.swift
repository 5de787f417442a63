import Domain
import Testing

@Suite struct ContentDeltaTests {
    /// Deterministic edits of a text: lines inserted, deleted and moved.
    private static func edited(_ lines: [String], seed: UInt64, edits: Int) -> [String] {
        var generator = SplitMix64(seed: seed)
        var lines = lines
        for _ in 0..<edits {
            let index = Int(generator.next(upTo: UInt64(max(1, lines.count))))
            switch generator.next(upTo: 3) {
            case 0: lines.insert("inserted \(generator.next(upTo: 1_000_000))\n", at: min(index, lines.count))
            case 1: if !lines.isEmpty { lines.remove(at: index) }
            default:
                if !lines.isEmpty {
                    let line = lines.remove(at: index)
                    lines.insert(line, at: Int(generator.next(upTo: UInt64(lines.count + 1))))
                }
            }
        }
        return lines
    }

    @Test(arguments: 0..<40)
    func delta_appliedToItsBase_givesTheTarget(seed: Int) throws {
        let base = (0..<300).map { "line \($0) of the handbook\n" }
        let target = Self.edited(base, seed: UInt64(seed), edits: seed % 7 + 1)
        let (old, new) = (Array(base.joined().utf8), Array(target.joined().utf8))
        let delta = ContentDelta.make(from: TextLines(old), to: TextLines(new))
        #expect(try ContentDelta.apply(delta, to: old) == new)
        #expect(delta.count < new.count / 4, "a few edits make a small delta: \(delta.count) of \(new.count)")
    }

    @Test func binaryAndEdgeCases_roundTrip() throws {
        let cases: [([UInt8], [UInt8])] = [([], []), ([], [1, 2, 3]), ([1, 2, 3], []), ([0, 10, 255, 10], [0, 10, 254]),
                                          (Array("no newline".utf8), Array("no newline!".utf8))]
        for (old, new) in cases {
            #expect(try ContentDelta.apply(ContentDelta.make(from: TextLines(old), to: TextLines(new)), to: old) == new)
        }
    }

    @Test func damagedDeltas_areRefused() {
        let old = Array("a\nb\nc\n".utf8)
        let delta = ContentDelta.make(from: TextLines(old), to: TextLines(Array("a\nB\nc\n".utf8)))
        #expect(throws: ContentDeltaError.self) { try ContentDelta.apply(Array(delta.dropLast()), to: old) }
        #expect(throws: ContentDeltaError.self) { try ContentDelta.apply([0x44, 0x01, 5, 0x01, 100, 5], to: old) }
        #expect(throws: ContentDeltaError.self) { try ContentDelta.apply([0x00] + delta.dropFirst(), to: old) }
        #expect(throws: ContentDeltaError.self) { try ContentDelta.apply(delta, to: Array(old.prefix(2))) }
    }
}
