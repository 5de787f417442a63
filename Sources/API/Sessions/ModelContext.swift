import Domain
import Hummingbird

/// `GET /v1/sessions/{id}/context?max_tokens=N`: what to send a model. The system prompt
/// always; the latest summary when it covers a message of the active branch and fits;
/// then the most recent messages of the active branch after what the summary covers, as
/// many as fit in N tokens by ``TokenEstimate``, oldest first.
struct ModelContext: ResponseEncodable {
    struct Summary: Encodable {
        let id: String
        let throughMessageId: String
        let text: String
    }

    let sessionId: String
    let model: String
    let systemPrompt: String
    let summary: Summary?
    let messages: [MessageView]
    let estimatedTokens: Int
    let maxTokens: Int
    /// Messages of the branch left out (older ones, beyond the budget or under the summary).
    let omittedMessages: Int
    let tokenEstimator = "cjk-char-1+utf8-bytes-div-4+4-per-message"

    init(_ session: SessionView, branch: [MessageView], maxTokens: Int) {
        sessionId = session.id
        model = session.config.model
        systemPrompt = session.config.systemPrompt ?? ""
        self.maxTokens = maxTokens
        var used = systemPrompt.isEmpty ? 0 : TokenEstimate.message(systemPrompt)
        var candidates = branch
        var summary: Summary?
        if let latest = session.summary, let covered = branch.firstIndex(where: { $0.id == latest.throughMessageId }),
           used + TokenEstimate.message(latest.text) <= maxTokens {
            summary = Summary(id: latest.id, throughMessageId: latest.throughMessageId, text: latest.text)
            used += TokenEstimate.message(latest.text)
            candidates = Array(branch[(covered + 1)...])
        }
        var kept: [MessageView] = []
        for message in candidates.reversed() {
            let cost = TokenEstimate.message(message.content)
            guard used + cost <= maxTokens else { break }
            used += cost
            kept.append(message)
        }
        self.summary = summary
        messages = kept.reversed()
        estimatedTokens = used
        omittedMessages = branch.count - kept.count
    }

    enum CodingKeys: String, CodingKey {
        case sessionId, model, systemPrompt, summary, messages, estimatedTokens, maxTokens, omittedMessages, tokenEstimator
    }
}
