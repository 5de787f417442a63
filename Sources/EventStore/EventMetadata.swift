/// Who and what caused an event. Stored as JSON next to the event; not hashed into
/// the event's identity for idempotency, but covered by the hash chain.
public struct EventMetadata: Sendable, Hashable, Codable {
    public var actor: String?
    public var correlationId: String?
    public var causationId: String?
    public var clientIp: String?
    public var userAgent: String?

    public init(
        actor: String? = nil, correlationId: String? = nil, causationId: String? = nil,
        clientIp: String? = nil, userAgent: String? = nil
    ) {
        self.actor = actor
        self.correlationId = correlationId
        self.causationId = causationId
        self.clientIp = clientIp
        self.userAgent = userAgent
    }

    var fields: [String?] { [actor, correlationId, causationId, clientIp, userAgent] }

    /// The JSON object the log stores: set fields only, keys sorted.
    var json: String {
        let pairs: [(String, String?)] = [
            ("actor", actor), ("causationId", causationId), ("clientIp", clientIp),
            ("correlationId", correlationId), ("userAgent", userAgent),
        ]
        return "{" + pairs.compactMap { key, value in value.map { "\"\(key)\":\(JSONText.quoted($0))" } }
            .joined(separator: ",") + "}"
    }
}
