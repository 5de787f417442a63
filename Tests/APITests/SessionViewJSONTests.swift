@testable import API
import Domain
import Foundation
import Testing

/// The hand-written JSON of the list views says what their `Encodable` form says.
@Suite struct SessionViewJSONTests {
    static let awkward = "quote \" backslash \\ newline \n crlf \r\n tab \t bell \u{7} nul \u{0} 故宫 🙂 /slash \"\u{301} é"

    static func session(summary: Bool, temperature: Double?) -> SessionView {
        SessionView(
            id: "ses_1", owner: "u\u{1F}1", title: awkward,
            config: ModelConfigBody(ModelConfig(model: "gpt", temperature: temperature, topP: 1, maxTokens: nil,
                                                systemPrompt: "be \"brief\"", knowledgeBaseIDs: ["kb1", "k\\b"], pluginIDs: [])),
            tags: ["a", "b\"c"], archived: false, deleted: true, startedAt: "2026-01-01T00:00:00.000001Z",
            lastActivityAt: "2026-01-02T00:00:00Z", messageCount: 12, tokenCount: 9_007_199_254_740_993,
            activeMessageId: summary ? "m1" : nil,
            summary: summary ? SessionView.Summary(id: "sum", throughMessageId: "m1", text: awkward) : nil, streamVersion: 7)
    }

    static let message = MessageView(
        id: "m2", parentId: nil, role: "assistant", content: awkward, model: "gpt", promptTokens: 3, completionTokens: 0,
        citations: [CitationBody(Citation(documentID: "d", documentVersion: 2, chunkID: "c", score: 0.123456789, quote: "q\n")),
                    CitationBody(Citation(documentID: "e", documentVersion: nil, chunkID: "c2", score: nil, quote: ""))],
        editedFrom: "m1", createdAt: "2026-01-01T00:00:00Z", children: ["m3"])

    @Test(arguments: [(true, 0.7 as Double?), (false, nil), (true, 1.0), (false, 1e-7), (true, -2.5e300)])
    func sessionViewMatchesItsEncodableForm(summary: Bool, temperature: Double?) throws {
        let view = Self.session(summary: summary, temperature: temperature)
        try expectSame(view.json, try JSONCoding.encoder.encode(view))
    }

    @Test func messageCitationAndHitMatchTheirEncodableForm() throws {
        try expectSame(Self.message.json, try JSONCoding.encoder.encode(Self.message))
        var bare = Self.message
        bare.children = nil
        try expectSame(bare.json, try JSONCoding.encoder.encode(bare))
        let hit = SearchHit(sessionId: "s", title: Self.awkward, messageId: nil, snippet: "…\u{2028}…", rank: 0.0607927)
        try expectSame(hit.json, try JSONCoding.encoder.encode(hit))
        let tree = MessageTreeView(sessionId: "s", activeMessageId: nil, messages: [Self.message, bare])
        try expectSame(MessageListJSON.object(sessionID: "s", activeMessageID: nil, tree.messages), try JSONCoding.encoder.encode(tree))
    }

    @Test func controlCharactersAreEscaped() {
        let json = SearchHit(sessionId: "s", title: "\u{1}\n", messageId: nil, snippet: "", rank: 1).json
        #expect(json.contains(#""title":"\u0001\n""#))
        #expect(!json.unicodeScalars.contains { $0.value < 0x20 })
    }

    private func expectSame(_ written: String, _ encoded: Data, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let mine = try JSONSerialization.jsonObject(with: Data(written.utf8)) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: encoded) as? NSDictionary
        #expect(mine != nil, "not a JSON object: \(written)", sourceLocation: sourceLocation)
        #expect(mine == theirs, "\(written)\n≠\n\(String(decoding: encoded, as: UTF8.self))", sourceLocation: sourceLocation)
    }
}
