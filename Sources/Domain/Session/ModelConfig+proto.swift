import Schemas

extension ModelConfig {
    var proto: Eventloom_V1_ModelConfig {
        .with { m in
            m.model = model
            if let temperature { m.temperature = .with { $0.value = temperature } }
            if let topP { m.topP = .with { $0.value = topP } }
            m.maxTokens = UInt32(clamping: maxTokens ?? 0)
            m.systemPrompt = systemPrompt
            m.knowledgeBaseIds = knowledgeBaseIDs
            m.pluginIds = pluginIDs
        }
    }

    init(_ m: Eventloom_V1_ModelConfig) {
        self.init(model: m.model, temperature: m.hasTemperature ? m.temperature.value : nil, topP: m.hasTopP ? m.topP.value : nil,
                  maxTokens: m.maxTokens == 0 ? nil : Int(m.maxTokens), systemPrompt: m.systemPrompt,
                  knowledgeBaseIDs: m.knowledgeBaseIds, pluginIDs: m.pluginIds)
    }
}

extension ChatMessage {
    func write(to m: inout Eventloom_V1_MessageAppended) {
        m.messageID = messageID
        m.parentID = parentID ?? ""
        m.role = role.rawValue
        m.content = content
        m.model = model ?? ""
        m.promptTokens = promptTokens
        m.completionTokens = completionTokens
        m.citations = citations.map { citation in
            .with {
                $0.documentID = citation.documentID
                $0.documentVersion = citation.documentVersion ?? 0
                $0.chunkID = citation.chunkID
                if let score = citation.score { $0.score = .with { $0.value = score } }
                $0.quote = citation.quote
            }
        }
    }

    init(_ m: Eventloom_V1_MessageAppended, type: String) throws {
        self.init(messageID: m.messageID, parentID: m.parentID.isEmpty ? nil : m.parentID,
                  role: try SessionEvent.role(m.role, type: type), content: m.content,
                  model: m.model.isEmpty ? nil : m.model, promptTokens: m.promptTokens, completionTokens: m.completionTokens,
                  citations: m.citations.map {
                      Citation(documentID: $0.documentID, documentVersion: $0.documentVersion == 0 ? nil : $0.documentVersion,
                               chunkID: $0.chunkID, score: $0.hasScore ? $0.score.value : nil, quote: $0.quote)
                  })
    }
}

extension ModelConfig {
    /// The configuration as proto3 JSON (`eventloom.v1.ModelConfig`), as read models keep it.
    public func protoJSON() throws -> String {
        try ProtoJSON.encode(proto, type: "ModelConfig")
    }

    /// The configuration `json` (proto3 JSON of `eventloom.v1.ModelConfig`) describes.
    public init(protoJSON json: String) throws {
        self.init(try ProtoJSON.decode(Eventloom_V1_ModelConfig.self, from: json, type: "ModelConfig"))
    }
}
