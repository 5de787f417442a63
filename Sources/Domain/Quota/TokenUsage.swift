/// Tokens of one model call as an upstream or a local counter reports them.
/// `cached` is the part of `prompt` served from the upstream's prompt cache.
public struct TokenUsage: Sendable, Hashable, Codable {
    public var prompt: Int64
    public var completion: Int64
    public var cached: Int64

    public init(prompt: Int64, completion: Int64, cached: Int64 = 0) {
        self.prompt = prompt
        self.completion = completion
        self.cached = cached
    }

    public static let zero = TokenUsage(prompt: 0, completion: 0)

    /// Prompt and completion tokens together (cached tokens are part of the prompt).
    public var total: Int64 { prompt &+ completion }

    /// True when no count is negative and the cached tokens are part of the prompt.
    public var isValid: Bool { prompt >= 0 && completion >= 0 && cached >= 0 && cached <= prompt }
}
