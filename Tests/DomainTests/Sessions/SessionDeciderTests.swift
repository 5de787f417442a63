import Domain
import DomainTesting
import Foundation
import Testing

@Suite struct SessionDeciderTests {
    @Test func start_recordsOwnerTitleAndConfig() {
        Session.given().when(.start(sessionID: "s1", ownerID: "u1", title: "Trip", config: sessionConfig, at: sessionT0))
            .then([sessionStarted])
    }

    @Test func start_again_withTheSameSettings_changesNothing_andWithOthers_isRefused() {
        Session.given(sessionStarted).when(.start(sessionID: "s1", ownerID: "u1", title: "Trip", config: sessionConfig, at: sessionT0))
            .then([])
        Session.given(sessionStarted).when(.start(sessionID: "s1", ownerID: "u2", title: "Trip", config: sessionConfig, at: sessionT0))
            .thenThrows(SessionError.alreadyStarted)
    }

    @Test func anyCommand_onASessionNotStarted_isRefused() {
        Session.given().when(.rename(title: "x", at: sessionT0)).thenThrows(SessionError.notStarted)
    }

    @Test func append_withoutParent_followsTheActiveMessage() {
        let message = ChatMessage(messageID: "m2", parentID: nil, role: .assistant, content: "hello", model: "gpt-4o",
                                  promptTokens: 12, completionTokens: 3,
                                  citations: [Citation(documentID: "d1", documentVersion: 2, chunkID: "c9", score: 0.8, quote: "q")])
        var resolved = message
        resolved.parentID = "m1"
        Session.given(sessionStarted, appended("m1", parent: nil)).when(.append(message, at: sessionT0 + 2))
            .then([.messageAppended(sessionID: "s1", resolved, at: sessionT0 + 2)])
    }

    @Test func append_retried_changesNothing_butAnotherMessageUnderTheSameId_isRefused() {
        let history = [sessionStarted, appended("m1", parent: nil)]
        Session.given(history).when(.append(ChatMessage(messageID: "m1", parentID: nil, role: .user, content: "hi"), at: sessionT0))
            .then([])
        Session.given(history).when(.append(ChatMessage(messageID: "m1", parentID: nil, role: .user, content: "bye"), at: sessionT0))
            .thenThrows(SessionError.idInUse("m1"))
    }

    @Test func append_underAMessageThatIsNotThere_isRefused() {
        Session.given(sessionStarted).when(.append(ChatMessage(messageID: "m1", parentID: "nope", role: .user, content: "x"), at: sessionT0))
            .thenThrows(SessionError.unknownMessage("nope"))
    }

    @Test(arguments: [
        ("", "content"), (String(repeating: "字", count: SessionLimits.maximumContentLength + 1), "content"), ("bell\u{7}", "content"),
    ])
    func append_withContentOutOfBounds_isRefused(content: String, field: String) {
        let outcome = Session.given(sessionStarted)
            .when(.append(ChatMessage(messageID: "m1", parentID: nil, role: .user, content: content), at: sessionT0))
        outcome.thenThrowsInvalid(field: field)
    }

    @Test func append_withABadIdOrTooManyCitations_isRefused() {
        Session.given(sessionStarted).when(.append(ChatMessage(messageID: "a b", parentID: nil, role: .user, content: "x"), at: sessionT0))
            .thenThrowsInvalid(field: "message_id")
        let citations = Array(repeating: Citation(documentID: "d", chunkID: "c"), count: SessionLimits.maximumCitations + 1)
        Session.given(sessionStarted)
            .when(.append(ChatMessage(messageID: "m1", parentID: nil, role: .assistant, content: "x", citations: citations), at: sessionT0))
            .thenThrowsInvalid(field: "citations")
    }

    @Test func append_toAnArchivedSession_isRefused_andToADeletedOne_too() {
        let message = ChatMessage(messageID: "m1", parentID: nil, role: .user, content: "x")
        Session.given(sessionStarted, .archived(sessionID: "s1", at: sessionT0)).when(.append(message, at: sessionT0))
            .thenThrows(SessionError.archived)
        Session.given(sessionStarted, .deleted(sessionID: "s1", at: sessionT0)).when(.append(message, at: sessionT0))
            .thenThrows(SessionError.deleted)
    }

    @Test func edit_addsASiblingWithTheNewContent_andKeepsTheOriginal() {
        Session.given([sessionStarted] + conversation(3)).when(.edit(messageID: "m3", newMessageID: "m3b", content: "changed", at: sessionT0 + 9))
            .then([.messageEdited(sessionID: "s1", messageID: "m3b", editedMessageID: "m3", parentID: "m2", role: .user,
                                  content: "changed", at: sessionT0 + 9)])
    }

    @Test func edit_withTheSameContent_isRefused() {
        Session.given([sessionStarted] + conversation(3)).when(.edit(messageID: "m3", newMessageID: "m3b", content: "message 3", at: sessionT0))
            .thenThrowsInvalid(field: "content")
    }

    @Test func edit_ofAModelsReply_withTheSameContent_isRefused_too() {
        let reply = ChatMessage(messageID: "m2", parentID: "m1", role: .assistant, content: "answer", model: "gpt-4o",
                                promptTokens: 5, completionTokens: 2)
        Session.given(sessionStarted, appended("m1", parent: nil), .messageAppended(sessionID: "s1", reply, at: sessionT0))
            .when(.edit(messageID: "m2", newMessageID: "m2b", content: "answer", at: sessionT0))
            .thenThrowsInvalid(field: "content")
    }

    @Test func append_pastTheSessionsContentBytes_isRefused() {
        let big = String(repeating: "x", count: SessionLimits.maximumContentLength)
        let count = SessionLimits.maximumContentBytes / big.utf8.count
        let history = [sessionStarted] + (0..<count).map { appended("b\($0)", parent: $0 == 0 ? nil : "b\($0 - 1)", big) }
        Session.given(history).when(.append(ChatMessage(messageID: "last", parentID: nil, role: .user, content: big), at: sessionT0))
            .thenThrows(SessionError.full(limit: "content_bytes", reason: "a session holds at most \(SessionLimits.maximumContentBytes) bytes of message content"))
    }

    @Test func editingMessageKOf10_andContinuing_yieldsTwoBranches() {
        let history = [sessionStarted] + conversation(10)
        let edit = SessionCommand.edit(messageID: "m4", newMessageID: "m4b", content: "a better question", at: sessionT0 + 20)
        var events = history
        for command in [edit, .append(ChatMessage(messageID: "m5b", parentID: nil, role: .assistant, content: "answer"), at: sessionT0 + 21)] {
            events += (try? Session.decide(command, Session.fold(events))) ?? []
        }
        let state = Session.fold(events)
        #expect(activeBranch(state) == ["m1", "m2", "m3", "m4b", "m5b"])
        // The first branch is intact, and switching to it brings back its newest leaf.
        Session.given(events).when(.switchBranch(to: "m4", at: sessionT0 + 30))
            .then([.branchSwitched(sessionID: "s1", messageID: "m10", at: sessionT0 + 30)])
        guard case .started(let record) = state else { Issue.record("not started"); return }
        #expect(record.children["m3"] == ["m4", "m4b"])
        #expect(record.messages.count == 12)
    }

    @Test func switchBranch_toTheActiveLeaf_changesNothing_andToAnUnknownMessage_isRefused() {
        Session.given([sessionStarted] + conversation(2)).when(.switchBranch(to: "m2", at: sessionT0)).then([])
        Session.given([sessionStarted] + conversation(2)).when(.switchBranch(to: "x", at: sessionT0))
            .thenThrows(SessionError.unknownMessage("x"))
    }

    @Test func renameConfigureAndTag_recordOnlyChanges() {
        Session.given(sessionStarted).when(.rename(title: "Trip", at: sessionT0)).then([])
        Session.given(sessionStarted).when(.rename(title: "Holiday", at: sessionT0))
            .then([.renamed(sessionID: "s1", title: "Holiday", at: sessionT0)])
        var config = sessionConfig
        config.topP = 0.9
        Session.given(sessionStarted).when(.configure(config, at: sessionT0)).then([.configChanged(sessionID: "s1", config, at: sessionT0)])
        Session.given(sessionStarted).when(.tag(["b", "a", "b"], at: sessionT0))
            .then([.tagged(sessionID: "s1", tags: ["a", "b"], at: sessionT0)])
    }

    @Test func configure_outOfBounds_isRefused() {
        var config = sessionConfig
        config.temperature = 3
        Session.given(sessionStarted).when(.configure(config, at: sessionT0)).thenThrowsInvalid(field: "config.temperature")
        config = sessionConfig
        config.pluginIDs = ["has space"]
        Session.given(sessionStarted).when(.configure(config, at: sessionT0)).thenThrowsInvalid(field: "config.plugin_ids")
    }

    @Test func archiveDeleteAndRestore_areIdempotent() {
        let archived = SessionEvent.archived(sessionID: "s1", at: sessionT0)
        let deleted = SessionEvent.deleted(sessionID: "s1", at: sessionT0)
        Session.given(sessionStarted, archived).when(.archive(at: sessionT0)).then([])
        Session.given(sessionStarted, archived).when(.unarchive(at: sessionT0)).then([.unarchived(sessionID: "s1", at: sessionT0)])
        Session.given(sessionStarted, deleted).when(.delete(at: sessionT0)).then([])
        Session.given(sessionStarted, deleted).when(.restore(at: sessionT0)).then([.restored(sessionID: "s1", at: sessionT0)])
        Session.given(sessionStarted, deleted).when(.rename(title: "x", at: sessionT0)).thenThrows(SessionError.deleted)
        Session.given(sessionStarted).when(.restore(at: sessionT0)).then([])
    }

    @Test func summarize_coversAMessageThatExists() {
        let history = [sessionStarted] + conversation(4)
        Session.given(history).when(.summarize(summaryID: "sum1", throughMessageID: "m3", summary: "they talked", at: sessionT0))
            .then([.summarized(sessionID: "s1", summaryID: "sum1", throughMessageID: "m3", summary: "they talked", at: sessionT0)])
        Session.given(history).when(.summarize(summaryID: "sum1", throughMessageID: "m9", summary: "x", at: sessionT0))
            .thenThrows(SessionError.unknownMessage("m9"))
        let summarized = SessionEvent.summarized(sessionID: "s1", summaryID: "sum1", throughMessageID: "m3", summary: "they talked", at: sessionT0)
        Session.given(history + [summarized]).when(.summarize(summaryID: "sum1", throughMessageID: "m4", summary: "more", at: sessionT0))
            .thenThrows(SessionError.idInUse("sum1"))
    }

    @Test func share_andRevoke() {
        let share = SessionShare(shareID: "sh1", mode: .read, messageID: "m2", expiresAt: sessionT0 + 60, passwordHash: "pbkdf2-sha256$1$a$b")
        let history = [sessionStarted] + conversation(2)
        Session.given(history).when(.share(share, at: sessionT0)).then([.shared(sessionID: "s1", share, at: sessionT0)])
        var past = share
        past.expiresAt = sessionT0
        Session.given(history).when(.share(past, at: sessionT0)).thenThrowsInvalid(field: "expires_at")
        let shared = SessionEvent.shared(sessionID: "s1", share, at: sessionT0)
        Session.given(history + [shared]).when(.revokeShare(shareID: "sh1", at: sessionT0))
            .then([.shareRevoked(sessionID: "s1", shareID: "sh1", at: sessionT0)])
        Session.given(history + [shared, .shareRevoked(sessionID: "s1", shareID: "sh1", at: sessionT0)])
            .when(.revokeShare(shareID: "sh1", at: sessionT0)).then([])
        Session.given(history).when(.revokeShare(shareID: "nope", at: sessionT0)).thenThrows(SessionError.unknownShare("nope"))
    }

    @Test func aFullSession_refusesAnotherMessage() {
        let history = [sessionStarted] + conversation(SessionLimits.maximumMessages)
        Session.given(history).when(.append(ChatMessage(messageID: "one-more", parentID: nil, role: .user, content: "x"), at: sessionT0))
            .thenThrows(SessionError.full(limit: "messages", reason: "a session holds at most \(SessionLimits.maximumMessages) messages"))
    }
}

extension DeciderOutcome where D == Session {
    /// Expects ``SessionError/invalid(field:reason:)`` naming `field`.
    func thenThrowsInvalid(field: String, sourceLocation: SourceLocation = #_sourceLocation) {
        thenThrows(matching: { error in
            if case .invalid(let named, _)? = error as? SessionError { return named == field }
            return false
        }, sourceLocation: sourceLocation)
    }
}
