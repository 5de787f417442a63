/// The content limits of ``SessionLimits``, as checks that throw ``SessionError/invalid(field:reason:)``.
public enum SessionValidation {
    /// 1-100 ASCII letters, digits, `_ . : -`.
    public static func isIdentifier(_ text: String) -> Bool {
        (1...SessionLimits.maximumIdentifierLength).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
                    || byte == 0x5f || byte == 0x2e || byte == 0x3a || byte == 0x2d
            }
    }

    /// - Throws: ``SessionError/invalid(field:reason:)`` unless `text` is an identifier.
    public static func identifier(_ text: String, field: String) throws {
        guard isIdentifier(text) else {
            throw SessionError.invalid(field: field, reason: "must be 1-\(SessionLimits.maximumIdentifierLength) ASCII letters, digits, '_', '.', ':' or '-'")
        }
    }

    static func title(_ title: String) throws {
        try line(title, field: "title", maximum: SessionLimits.maximumTitleLength)
    }

    /// 1 to `maximum` characters, no control character.
    static func line(_ text: String, field: String, maximum: Int) throws {
        guard !text.isEmpty, text.unicodeScalars.count <= maximum else {
            throw SessionError.invalid(field: field, reason: "must be 1-\(maximum) characters")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw SessionError.invalid(field: field, reason: "must not contain control characters")
        }
    }

    /// 1 to `maximum` characters; line breaks and tabs allowed, other control characters not.
    static func text(_ text: String, field: String, maximum: Int, allowEmpty: Bool = false) throws {
        guard allowEmpty || !text.isEmpty, text.unicodeScalars.count <= maximum else {
            throw SessionError.invalid(field: field, reason: "must be \(allowEmpty ? 0 : 1)-\(maximum) characters")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !"\n\r\t".unicodeScalars.contains($0) }) else {
            throw SessionError.invalid(field: field, reason: "must not contain control characters other than line breaks and tabs")
        }
    }

    static func config(_ config: ModelConfig) throws {
        try line(config.model, field: "config.model", maximum: SessionLimits.maximumModelLength)
        if let temperature = config.temperature, !(0...2).contains(temperature) {
            throw SessionError.invalid(field: "config.temperature", reason: "must be between 0 and 2")
        }
        if let topP = config.topP, !(0...1).contains(topP) {
            throw SessionError.invalid(field: "config.top_p", reason: "must be between 0 and 1")
        }
        if let maxTokens = config.maxTokens, !(1...10_000_000).contains(maxTokens) {
            throw SessionError.invalid(field: "config.max_tokens", reason: "must be between 1 and 10000000")
        }
        try text(config.systemPrompt, field: "config.system_prompt", maximum: SessionLimits.maximumSystemPromptLength, allowEmpty: true)
        for (field, ids) in [("config.knowledge_base_ids", config.knowledgeBaseIDs), ("config.plugin_ids", config.pluginIDs)] {
            guard ids.count <= SessionLimits.maximumConfigIDs else {
                throw SessionError.invalid(field: field, reason: "at most \(SessionLimits.maximumConfigIDs) ids")
            }
            for id in ids { try identifier(id, field: field) }
        }
    }

    /// The tags sorted and without duplicates.
    static func tags(_ tags: [String]) throws -> [String] {
        let unique = Array(Set(tags)).sorted()
        guard unique.count <= SessionLimits.maximumTags else {
            throw SessionError.invalid(field: "tags", reason: "at most \(SessionLimits.maximumTags) tags")
        }
        for tag in unique { try line(tag, field: "tags", maximum: SessionLimits.maximumTagLength) }
        return unique
    }

    static func message(_ message: ChatMessage) throws {
        try identifier(message.messageID, field: "message_id")
        try text(message.content, field: "content", maximum: SessionLimits.maximumContentLength)
        if let model = message.model { try line(model, field: "model", maximum: SessionLimits.maximumModelLength) }
        guard message.promptTokens <= SessionLimits.maximumTokens, message.completionTokens <= SessionLimits.maximumTokens else {
            throw SessionError.invalid(field: "prompt_tokens", reason: "token counts are at most \(SessionLimits.maximumTokens)")
        }
        guard message.citations.count <= SessionLimits.maximumCitations else {
            throw SessionError.invalid(field: "citations", reason: "at most \(SessionLimits.maximumCitations) per message")
        }
        for citation in message.citations {
            try line(citation.documentID, field: "citations.document_id", maximum: SessionLimits.maximumIdentifierLength)
            try line(citation.chunkID, field: "citations.chunk_id", maximum: SessionLimits.maximumIdentifierLength)
            try text(citation.quote, field: "citations.quote", maximum: SessionLimits.maximumQuoteLength, allowEmpty: true)
            if let score = citation.score, !score.isFinite {
                throw SessionError.invalid(field: "citations.score", reason: "must be a finite number")
            }
        }
    }
}
