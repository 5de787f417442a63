/// Who and what caused an event. Stored as JSON next to the event; not hashed into
/// the event's identity for idempotency, but covered by the hash chain.
public struct EventMetadata: Sendable, Hashable, Codable {
    public var actor: String?
    public var correlationId: String?
    public var causationId: String?
    public var clientIp: String?
    public var userAgent: String?
    /// The data subject whose key encrypts the event's personal fields (docs/erasure.md);
    /// set by the write path from the aggregate, never by a caller.
    public var dataSubject: String?

    public init(
        actor: String? = nil, correlationId: String? = nil, causationId: String? = nil,
        clientIp: String? = nil, userAgent: String? = nil, dataSubject: String? = nil
    ) {
        self.actor = actor
        self.correlationId = correlationId
        self.causationId = causationId
        self.clientIp = clientIp
        self.userAgent = userAgent
        self.dataSubject = dataSubject
    }

    var fields: [String?] { [actor, correlationId, causationId, clientIp, userAgent, dataSubject] }

    /// The JSON object the log stores: set fields only, keys sorted.
    var json: String {
        let pairs: [(String, String?)] = [
            ("actor", actor), ("causationId", causationId), ("clientIp", clientIp),
            ("correlationId", correlationId), ("dataSubject", dataSubject), ("userAgent", userAgent),
        ]
        return "{" + pairs.compactMap { key, value in value.map { "\"\(key)\":\(JSONText.quoted($0))" } }
            .joined(separator: ",") + "}"
    }
}
