import Hummingbird

/// The JSON of the views that lists repeat, written directly: the same keys and values as
/// their `Encodable` form (a test holds them to it).
extension SessionView {
    var json: String {
        var object = JSONObjectWriter()
        object.field("id", id)
        object.field("owner", owner)
        object.field("title", title)
        object.field("config", json: config.json)
        object.field("tags", tags)
        object.field("archived", archived)
        object.field("deleted", deleted)
        object.field("started_at", startedAt)
        object.field("last_activity_at", lastActivityAt)
        object.field("message_count", messageCount)
        object.field("token_count", tokenCount)
        object.field("active_message_id", activeMessageId)
        object.field("summary", json: summary.map { summary in
            var object = JSONObjectWriter()
            object.field("id", summary.id)
            object.field("through_message_id", summary.throughMessageId)
            object.field("text", summary.text)
            return object.finish()
        })
        object.field("stream_version", streamVersion)
        object.field("position", position)
        return object.finish()
    }
}

extension ModelConfigBody {
    var json: String {
        var object = JSONObjectWriter()
        object.field("model", model)
        object.field("temperature", temperature)
        object.field("top_p", topP)
        object.field("max_tokens", maxTokens)
        object.field("system_prompt", systemPrompt)
        object.field("knowledge_base_ids", knowledgeBaseIds)
        object.field("plugin_ids", pluginIds)
        return object.finish()
    }
}

extension MessageView {
    var json: String {
        var object = JSONObjectWriter()
        object.field("id", id)
        object.field("parent_id", parentId)
        object.field("role", role)
        object.field("content", content)
        object.field("model", model)
        object.field("prompt_tokens", promptTokens)
        object.field("completion_tokens", completionTokens)
        object.field("citations", json: "[" + citations.map(\.json).joined(separator: ",") + "]")
        object.field("edited_from", editedFrom)
        object.field("created_at", createdAt)
        object.field("children", children)
        return object.finish()
    }
}

extension CitationBody {
    var json: String {
        var object = JSONObjectWriter()
        object.field("document_id", documentId)
        object.field("document_version", documentVersion)
        object.field("chunk_id", chunkId)
        object.field("score", score)
        object.field("quote", quote)
        return object.finish()
    }
}

extension SearchHit {
    var json: String {
        var object = JSONObjectWriter()
        object.field("session_id", sessionId)
        object.field("title", title)
        object.field("message_id", messageId)
        object.field("snippet", snippet)
        object.field("rank", rank)
        return object.finish()
    }
}

extension MessageTreeView: ResponseGenerator {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONPage.response(ByteBuffer(string: MessageListJSON.object(sessionID: sessionId, activeMessageID: activeMessageId, messages)))
    }
}

extension BranchView: ResponseGenerator {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONPage.response(ByteBuffer(string: MessageListJSON.object(sessionID: sessionId, activeMessageID: activeMessageId, messages)))
    }
}

/// `{"session_id":…,"active_message_id":…,"messages":[…]}`, the shape of the tree and the branch.
enum MessageListJSON {
    static func object(sessionID: String, activeMessageID: String?, _ messages: [MessageView]) -> String {
        var object = JSONObjectWriter()
        object.field("session_id", sessionID)
        object.field("active_message_id", orNull: activeMessageID)   // required by the spec, null without messages
        object.field("messages", json: "[" + messages.map(\.json).joined(separator: ",") + "]")
        return object.finish()
    }
}
