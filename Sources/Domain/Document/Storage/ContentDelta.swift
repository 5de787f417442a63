/// A compact description of one content in terms of another: the line diff's unchanged
/// runs are copied from the base, its changed lines inserted. Bytes are split at `\n`
/// whatever they hold, so binary content works too (with few matches, the delta is large
/// and the store keeps the full bytes instead).
///
/// Format: `0x44 0x01`, the target size as a LEB128 varint, then operations: `0x01 offset
/// length` copies base bytes, `0x02 length bytes` inserts bytes (numbers as varints).
public enum ContentDelta {
    /// The delta turning `base` into `target`.
    public static func make(from base: TextLines, to target: TextLines) -> [UInt8] {
        var delta: [UInt8] = [0x44, 0x01]
        appendVarint(UInt64(target.bytes.count), to: &delta)
        var oldLine = 0
        func copyUnchanged(upTo oldEnd: Int) {
            guard oldEnd > oldLine else { return }
            let range = base.ranges[oldLine].lowerBound..<base.ranges[oldEnd - 1].upperBound
            delta.append(0x01)
            appendVarint(UInt64(range.lowerBound), to: &delta)
            appendVarint(UInt64(range.count), to: &delta)
            oldLine = oldEnd
        }
        for hunk in LineDiff.hunks(from: base, to: target) {
            copyUnchanged(upTo: hunk.oldStart)
            if hunk.newCount > 0 {
                let inserted = target.slice(hunk.newStart..<hunk.newEnd)
                delta.append(0x02)
                appendVarint(UInt64(inserted.count), to: &delta)
                delta += inserted
            }
            oldLine = hunk.oldEnd
        }
        copyUnchanged(upTo: base.count)
        return delta
    }

    /// `delta` applied to `base`.
    /// - Throws: ``ContentDeltaError`` when `delta` is not a delta or does not fit `base`.
    public static func apply(_ delta: [UInt8], to base: [UInt8]) throws -> [UInt8] {
        var reader = Reader(bytes: delta)
        guard try reader.byte() == 0x44, try reader.byte() == 0x01 else { throw ContentDeltaError.malformed("not a delta") }
        let size = try reader.count(limit: Int(Int32.max))
        var target: [UInt8] = []
        target.reserveCapacity(size)
        while !reader.isAtEnd {
            switch try reader.byte() {
            case 0x01:
                let offset = try reader.count(limit: base.count)
                let length = try reader.count(limit: base.count - offset)
                target += base[offset..<(offset + length)]
            case 0x02:
                let length = try reader.count(limit: reader.remaining)
                target += try reader.bytes(length)
            default:
                throw ContentDeltaError.malformed("unknown operation")
            }
            guard target.count <= size else { throw ContentDeltaError.malformed("longer than its size") }
        }
        guard target.count == size else { throw ContentDeltaError.malformed("shorter than its size") }
        return target
    }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var isAtEnd: Bool { index == bytes.count }
        var remaining: Int { bytes.count - index }

        mutating func byte() throws -> UInt8 {
            guard index < bytes.count else { throw ContentDeltaError.malformed("truncated") }
            defer { index += 1 }
            return bytes[index]
        }

        /// A varint no greater than `limit`.
        mutating func count(limit: Int) throws -> Int {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let byte = try byte()
                guard shift < 63 else { throw ContentDeltaError.malformed("number too long") }
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            guard value <= UInt64(max(0, limit)) else { throw ContentDeltaError.malformed("out of range") }
            return Int(value)
        }

        mutating func bytes(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count <= remaining else { throw ContentDeltaError.malformed("truncated") }
            defer { index += count }
            return bytes[index..<(index + count)]
        }
    }
}

/// A stored delta that cannot be applied: the store's content is damaged.
public enum ContentDeltaError: Error, Equatable, Sendable {
    case malformed(String)
}
