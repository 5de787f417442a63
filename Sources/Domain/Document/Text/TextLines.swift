/// A text as lines, the way a line diff sees it: each line ends just after its `\n`
/// (which it includes, with any `\r`); the last line may lack one. An empty text has no
/// lines, and a text ending in `\n` has no empty last line.
public struct TextLines: Sendable, Equatable {
    public let bytes: [UInt8]
    /// Each line's byte range in ``bytes``.
    public let ranges: [Range<Int>]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var ranges: [Range<Int>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            ranges.append(start..<(index + 1))
            start = index + 1
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }
        self.ranges = ranges
    }

    public init(_ text: String) { self.init(Array(text.utf8)) }

    public var count: Int { ranges.count }

    public subscript(line: Int) -> ArraySlice<UInt8> { bytes[ranges[line]] }

    /// The bytes of lines `lines`.
    public func slice(_ lines: Range<Int>) -> ArraySlice<UInt8> {
        guard !lines.isEmpty else { return [] }
        return bytes[ranges[lines.lowerBound].lowerBound..<ranges[lines.upperBound - 1].upperBound]
    }

    /// Whether line `line` ends with `\n`.
    func endsWithNewline(_ line: Int) -> Bool { bytes[ranges[line].upperBound - 1] == UInt8(ascii: "\n") }
}
