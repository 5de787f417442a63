/// A word-level diff of two texts, for prose: the texts cut into words (runs of letters
/// and digits), runs of spaces, line breaks and single other characters, compared with the
/// same Myers as the line diff, and given back as runs kept, removed and added.
public enum WordDiff {
    /// One run of the result.
    public struct Segment: Sendable, Equatable {
        public enum Kind: String, Sendable {
            case equal, removed, added
        }

        public let kind: Kind
        public let text: String

        public init(_ kind: Kind, _ text: String) {
            self.kind = kind
            self.text = text
        }
    }

    /// The runs that turn `old` into `new`, in order; neighbours of one kind joined.
    public static func segments(from old: String, to new: String) -> [Segment] {
        let (a, b) = (tokens(old), tokens(new))
        var classes: [Substring: Int] = [:]
        func id(_ token: Substring) -> Int {
            if let id = classes[token] { return id }
            classes[token] = classes.count
            return classes.count - 1
        }
        let (idsA, idsB) = (a.map(id), b.map(id))
        var compare = MyersCompare(a: idsA, b: idsB)
        compare.run()
        // Runs as their tokens, joined once at the end (appending to a run's string would
        // copy it for every token).
        var runs: [(kind: Segment.Kind, tokens: [Substring])] = []
        func add(_ kind: Segment.Kind, _ text: Substring) {
            if let last = runs.indices.last, runs[last].kind == kind {
                runs[last].tokens.append(text)
            } else {
                runs.append((kind, [text]))
            }
        }
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if i < a.count, compare.changedA[i] {
                add(.removed, a[i])
                i += 1
            } else if j < b.count, compare.changedB[j] {
                add(.added, b[j])
                j += 1
            } else if i < a.count, j < b.count {
                add(.equal, a[i])
                i += 1
                j += 1
            } else {
                break
            }
        }
        return runs.map { Segment($0.kind, $0.tokens.joined()) }
    }

    /// `text` as tokens: words, runs of spaces, and every other character alone.
    static func tokens(_ text: String) -> [Substring] {
        var tokens: [Substring] = []
        var start = text.startIndex
        while start < text.endIndex {
            let first = text[start]
            var end = text.index(after: start)
            if first.isLetter || first.isNumber {
                while end < text.endIndex, text[end].isLetter || text[end].isNumber { end = text.index(after: end) }
            } else if first == " " || first == "\t" {
                while end < text.endIndex, text[end] == " " || text[end] == "\t" { end = text.index(after: end) }
            }
            tokens.append(text[start..<end])
            start = end
        }
        return tokens
    }
}
