/// One piece of a content as a worker embedded it: where it lies in the content, its text,
/// a few attributes of the worker's, and its vector.
public struct Chunk: Sendable, Hashable {
    /// Its place among the task's chunks, from 0.
    public var ordinal: Int
    /// Byte offsets of its text in the content: `start..<end`.
    public var start: Int
    public var end: Int
    public var text: String
    public var metadata: [String: String]
    public var vector: [Float]

    public init(ordinal: Int, start: Int, end: Int, text: String, metadata: [String: String] = [:], vector: [Float]) {
        self.ordinal = ordinal
        self.start = start
        self.end = end
        self.text = text
        self.metadata = metadata
        self.vector = vector
    }
}

extension Chunk {
    /// The most chunks one task commits.
    public static let maximumPerTask = 100_000
    /// The most chunks one uploaded part holds.
    public static let maximumPerPart = 1_000
    /// The longest chunk text, in UTF-8 bytes.
    public static let maximumTextBytes = 64 << 10
    /// The most metadata entries, and their longest keys and values in characters.
    public static let maximumMetadataEntries = 16
    public static let maximumMetadataKeyLength = 64
    public static let maximumMetadataValueLength = 256

    /// Why the chunk cannot be stored for a version of `dimension` over a content of
    /// `contentSize` bytes, as `(field, reason)`; nil when it can.
    public func problem(dimension: Int, contentSize: Int) -> (field: String, reason: String)? {
        guard (0..<Self.maximumPerTask).contains(ordinal) else { return ("ordinal", "must be in 0..<\(Self.maximumPerTask)") }
        guard start >= 0, start <= end, end <= contentSize else {
            return ("start", "must satisfy 0 <= start <= end <= \(contentSize) (the content's size)")
        }
        guard text.utf8.count <= Self.maximumTextBytes else { return ("text", "must be at most \(Self.maximumTextBytes) bytes") }
        if let problem = metadataProblem() { return problem }
        guard vector.count == dimension else {
            return ("vector", "has \(vector.count) components; the version's dimension is \(dimension)")
        }
        guard vector.allSatisfy(\.isFinite) else { return ("vector", "must not hold NaN or infinite components") }
        guard vector.allSatisfy({ abs($0) <= HalfPrecision.largest }) else {
            return ("vector", "components must be within ±\(Int(HalfPrecision.largest)) (vectors are stored as float16)")
        }
        return nil
    }

    private func metadataProblem() -> (field: String, reason: String)? {
        guard metadata.count <= Self.maximumMetadataEntries else {
            return ("metadata", "must have at most \(Self.maximumMetadataEntries) entries")
        }
        for (key, value) in metadata {
            if let reason = TextRule.problem(with: key, maximum: Self.maximumMetadataKeyLength) { return ("metadata", "key \(reason)") }
            if let reason = TextRule.problem(with: value, maximum: Self.maximumMetadataValueLength, multiline: true) {
                return ("metadata.\(key)", reason)
            }
        }
        return nil
    }
}
