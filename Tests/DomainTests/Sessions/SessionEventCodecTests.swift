import Domain
import Foundation
import Testing

@Suite struct SessionEventCodecTests {
    static let cited = ChatMessage(
        messageID: "m2", parentID: "m1", role: .assistant, content: "答案 and more", model: "gpt-4o", promptTokens: 12,
        completionTokens: 30, citations: [Citation(documentID: "d1", documentVersion: 4, chunkID: "c7", score: 0.25, quote: "q"),
                                          Citation(documentID: "d2", chunkID: "c1")])
    static let fullConfig = ModelConfig(model: "m", temperature: 0, topP: 1, maxTokens: 512, systemPrompt: "s",
                                        knowledgeBaseIDs: ["kb1", "kb2"], pluginIDs: ["p1"])

    @Test(arguments: [
        SessionEvent.started(sessionID: "s1", ownerID: "u1", title: "T", config: fullConfig, at: sessionT0),
        .started(sessionID: "s1", ownerID: "u1", title: "T", config: ModelConfig(model: "m"), at: sessionT0),
        .messageAppended(sessionID: "s1", cited, at: sessionT0),
        .messageAppended(sessionID: "s1", ChatMessage(messageID: "m1", parentID: nil, role: .system, content: "x"), at: sessionT0),
        .messageEdited(sessionID: "s1", messageID: "m2b", editedMessageID: "m2", parentID: "m1", role: .user, content: "y", at: sessionT0),
        .messageEdited(sessionID: "s1", messageID: "m1b", editedMessageID: "m1", parentID: nil, role: .tool, content: "y", at: sessionT0),
        .branchSwitched(sessionID: "s1", messageID: "m2", at: sessionT0),
        .renamed(sessionID: "s1", title: "U", at: sessionT0),
        .configChanged(sessionID: "s1", fullConfig, at: sessionT0),
        .tagged(sessionID: "s1", tags: ["a", "b"], at: sessionT0),
        .archived(sessionID: "s1", at: sessionT0), .unarchived(sessionID: "s1", at: sessionT0),
        .deleted(sessionID: "s1", at: sessionT0), .restored(sessionID: "s1", at: sessionT0),
        .summarized(sessionID: "s1", summaryID: "sum", throughMessageID: "m2", summary: "sum up", at: sessionT0),
        .shared(sessionID: "s1", SessionShare(shareID: "sh", mode: .comment, messageID: "m2", expiresAt: sessionT0 + 9,
                                              passwordHash: "pbkdf2-sha256$1$a$b"), at: sessionT0),
        .shared(sessionID: "s1", SessionShare(shareID: "sh", mode: .read), at: sessionT0),
        .shareRevoked(sessionID: "s1", shareID: "sh", at: sessionT0),
    ])
    func sessionEvent_roundTripsAndFitsItsSchema(event: SessionEvent) throws {
        let json = try event.jsonData()
        #expect(try SessionEvent(type: event.type, schemaVersion: 1, json: json) == event)
        #expect(try EventRegistry.binary(type: event.type, json: json) != nil)
    }

    @Test func citationsJSON_roundTrips_withSnakeCaseKeys() throws {
        let json = CitationsJSON.encode(Self.cited.citations)
        #expect(json.hasPrefix(#"[{"chunk_id":"c7","document_id":"d1","document_version":4,"quote":"q","score":0.25}"#))
        #expect(try CitationsJSON.decode(json) == Self.cited.citations)
        #expect(CitationsJSON.encode([]) == "[]")
    }

    @Test func shareViewed_roundTrips() throws {
        let viewed = ShareViewed(shareID: "sh", sessionID: "s1", at: sessionT0)
        #expect(try ShareViewed(type: "ShareViewed", schemaVersion: 1, json: viewed.jsonData()) == viewed)
    }

    @Test func anUnknownRole_isAnInvalidPayload() {
        let json = #"{"sessionId":"s1","messageId":"m1","role":"robot","content":"x"}"#
        #expect(throws: EventCodingError.invalidPayload(type: "MessageAppended", reason: "unknown message role robot")) {
            try SessionEvent(type: "MessageAppended", schemaVersion: 1, json: json)
        }
    }

    @Test func tokenEstimate_countsCJKCharactersOneEach_andOtherTextByFourBytes() {
        #expect(TokenEstimate.of("") == 0)
        #expect(TokenEstimate.of("Be brief.") == 3)
        #expect(TokenEstimate.of("参观故宫") == 4)
        #expect(TokenEstimate.of("参观 the 故宫") == 4 + 2)
        #expect(TokenEstimate.message("hello") == 4 + 2)
    }
}
