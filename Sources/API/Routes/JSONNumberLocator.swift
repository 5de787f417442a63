import Foundation

/// Names the field of a number the decoder refused. The decoder reports a number its field
/// cannot hold (`1.5` or `1e30` for an integer) as invalid JSON with no field at all; this
/// finds the number that, replaced by `0`, lets the body get past that error.
enum JSONNumberLocator {
    /// At most this many numbers are tried (each try decodes the body once more).
    static let maximumTries = 16

    /// The API name of the field (`usage.completion_tokens`, `messages[2].citations[0].document_version`),
    /// or nil when no number alone is the cause.
    static func field<T: Decodable>(_: T.Type, in data: Data, decoder: JSONDecoder) -> String? {
        let bytes = [UInt8](data)
        for number in suspects(in: bytes).prefix(maximumTries) {
            var trial = bytes
            trial.replaceSubrange(number.range, with: [UInt8(ascii: "0")])
            do {
                _ = try decoder.decode(T.self, from: Data(trial))
                return number.path
            } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
                continue
            } catch {
                return number.path
            }
        }
        return nil
    }

    struct Number {
        let range: Range<Int>
        let path: String
    }

    /// Numbers that are not whole numbers of 64 bits, with where they sit.
    static func suspects(in bytes: [UInt8]) -> [Number] {
        var scanner = Scanner(bytes: bytes)
        return scanner.run()
    }

    private struct Scanner {
        enum Frame {
            case object(key: String?, expectingKey: Bool)
            case array(index: Int)
        }

        let bytes: [UInt8]
        var index = 0
        var frames: [Frame] = []
        var found: [Number] = []

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func run() -> [Number] {
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "{"): frames.append(.object(key: nil, expectingKey: true)); index += 1
                case UInt8(ascii: "["): frames.append(.array(index: 0)); index += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): _ = frames.popLast(); index += 1
                case UInt8(ascii: ","): nextElement(); index += 1
                case UInt8(ascii: ":"): keyRead(); index += 1
                case UInt8(ascii: "\""): string()
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): number()
                default: index += 1
                }
            }
            return found
        }

        private mutating func nextElement() {
            switch frames.last {
            case .array(let position): frames[frames.count - 1] = .array(index: position + 1)
            case .object(let key, _): frames[frames.count - 1] = .object(key: key, expectingKey: true)
            case nil: break
            }
        }

        private mutating func keyRead() {
            if case .object(let key, _) = frames.last { frames[frames.count - 1] = .object(key: key, expectingKey: false) }
        }

        private mutating func string() {
            let start = index + 1
            index = start
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
            }
            let text = String(decoding: bytes[start..<min(index, bytes.count)], as: UTF8.self)
            index += 1
            if case .object(_, true) = frames.last { frames[frames.count - 1] = .object(key: text, expectingKey: true) }
        }

        private mutating func number() {
            let start = index
            while index < bytes.count, Self.numberBytes.contains(bytes[index]) { index += 1 }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if Int64(text) == nil { found.append(Number(range: start..<index, path: path)) }
        }

        private static let numberBytes = Set("0123456789+-.eE".utf8)

        private var path: String {
            var name = ""
            for frame in frames {
                switch frame {
                case .object(let key, _): name += (name.isEmpty ? "" : ".") + (key ?? "")
                case .array(let position): name += "[\(position)]"
                }
            }
            return name.isEmpty ? "body" : name
        }
    }
}
