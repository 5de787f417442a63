import Foundation

/// Citations as read models and the API show them: a JSON array of objects with
/// `document_id`, `document_version`, `chunk_id`, `score` and `quote`.
public enum CitationsJSON {
    /// One encoder for every call: the projection encodes each cited message's citations.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static func encode(_ citations: [Citation]) -> String {
        guard !citations.isEmpty else { return "[]" }
        return (try? String(decoding: encoder.encode(citations), as: UTF8.self)) ?? "[]"
    }

    /// - Throws: `DecodingError` when `json` is not such an array.
    public static func decode(_ json: String) throws -> [Citation] {
        try JSONDecoder().decode([Citation].self, from: Data(json.utf8))
    }
}
