/// How a session talks to its model. Absent settings mean the model's default.
public struct ModelConfig: Sendable, Hashable {
    public var model: String
    public var temperature: Double?
    public var topP: Double?
    /// The most completion tokens per reply; nil: the model's default.
    public var maxTokens: Int?
    public var systemPrompt: String
    public var knowledgeBaseIDs: [String]
    public var pluginIDs: [String]

    public init(model: String, temperature: Double? = nil, topP: Double? = nil, maxTokens: Int? = nil,
                systemPrompt: String = "", knowledgeBaseIDs: [String] = [], pluginIDs: [String] = []) {
        self.model = model
        self.temperature = temperature
        self.topP = topP
        self.maxTokens = maxTokens
        self.systemPrompt = systemPrompt
        self.knowledgeBaseIDs = knowledgeBaseIDs
        self.pluginIDs = pluginIDs
    }
}
