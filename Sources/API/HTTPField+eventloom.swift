import HTTPTypes

extension HTTPField.Name {
    static let apiKey = HTTPField.Name("x-api-key")!
    static let googAPIKey = HTTPField.Name("x-goog-api-key")!
    static let requestID = HTTPField.Name("X-Request-Id")!
    static let eventloomPosition = HTTPField.Name("Eventloom-Position")!
    /// The commit whose content a document checkout returns.
    static let eventloomCommit = HTTPField.Name("Eventloom-Commit")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let eventloomConsistentWith = HTTPField.Name("Eventloom-Consistent-With")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
    /// The rate-limit fields of the IETF draft (draft-ietf-httpapi-ratelimit-headers).
    static let rateLimit = HTTPField.Name("RateLimit")!
    static let rateLimitPolicy = HTTPField.Name("RateLimit-Policy")!
}
