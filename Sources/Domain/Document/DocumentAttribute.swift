/// One free-form attribute of a document or a commit (kept in the order given).
public struct DocumentAttribute: Sendable, Hashable, Codable {
    public let key: String
    public let value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
