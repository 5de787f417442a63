/// What a commit's content is, as the log records it: the bytes themselves are stored
/// beside the log under their hash.
public struct DocumentContent: Sendable, Hashable {
    /// Hex SHA-256 of the bytes.
    public let sha256: String
    public let size: Int64
    public let mimeType: String
    public let modality: Modality

    public init(sha256: String, size: Int64, mimeType: String, modality: Modality) {
        self.sha256 = sha256
        self.size = size
        self.mimeType = mimeType
        self.modality = modality
    }

    /// What kind of source the content is. Eventloom records it; processing it is the
    /// client's job.
    public enum Modality: String, Sendable, Hashable, CaseIterable {
        case text, image, table, audio, video
    }

    /// Whether `mimeType` names text, whose bytes must be UTF-8: `text/*`, JSON, XML,
    /// YAML, and the `+json` / `+xml` suffixes.
    public static func isText(mimeType: String) -> Bool {
        let essence = mimeType.split(separator: ";", maxSplits: 1).first.map(String.init)?
            .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if essence.hasPrefix("text/") { return true }
        if ["application/json", "application/xml", "application/yaml", "application/x-yaml", "application/x-ndjson"]
            .contains(essence) { return true }
        return essence.hasSuffix("+json") || essence.hasSuffix("+xml")
    }
}
