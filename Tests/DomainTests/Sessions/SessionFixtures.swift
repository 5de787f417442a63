import Domain
import Foundation

let sessionT0 = Date(timeIntervalSince1970: 1_800_000_000)
let sessionConfig = ModelConfig(model: "gpt-4o", temperature: 0.7, systemPrompt: "Be brief.", knowledgeBaseIDs: ["kb-1"])
let sessionStarted = SessionEvent.started(sessionID: "s1", ownerID: "u1", title: "Trip", config: sessionConfig, at: sessionT0)

/// `message` as appended to session s1 at second `second` after t0.
func appended(_ id: String, parent: String?, role: MessageRole = .user, _ content: String = "hi", second: Double = 1) -> SessionEvent {
    let message = ChatMessage(messageID: id, parentID: parent, role: role, content: content)
    let at: Date = sessionT0.addingTimeInterval(second)
    return .messageAppended(sessionID: "s1", message, at: at)
}

/// A chain of `count` messages m1 … m<count>, alternating user and assistant.
func conversation(_ count: Int) -> [SessionEvent] {
    (1...count).map { (n: Int) -> SessionEvent in
        let parent: String? = n == 1 ? nil : "m\(n - 1)"
        let role: MessageRole = n % 2 == 1 ? .user : .assistant
        return appended("m\(n)", parent: parent, role: role, "message \(n)", second: Double(n))
    }
}

/// The active branch of `state`, root first.
func activeBranch(_ state: SessionState) -> [String] {
    guard case .started(let record) = state else { return [] }
    var path: [String] = []
    var next = record.activeMessageID
    while let id = next {
        path.append(id)
        next = record.messages[id]?.parentID
    }
    return path.reversed()
}
