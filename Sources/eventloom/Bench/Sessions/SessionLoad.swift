import Domain
import EventStore
import Foundation

/// Loads sessions straight into the log: each session started, then its messages as a
/// conversation (user, assistant, …), 50 sessions per multi-stream append, 4 appends in
/// flight. Session `s<n>` belongs to owner `u<n mod owners>`, whose key seals its personal
/// fields (the store needs a keyring).
struct SessionLoad: Sendable {
    let store: EventStore
    let tenant: String
    let sessions: Int
    let messagesPerSession: Int
    let owners: Int
    static let sessionsPerAppend = 50
    static let config = ModelConfig(model: "gpt-4o", temperature: 0.7, systemPrompt: "You are a helpful assistant.")

    /// Appends everything; returns the events written and the time it took.
    func run(progress: @escaping @Sendable (Int) -> Void) async throws -> (events: Int, duration: Duration) {
        let start = ContinuousClock.now
        let chunks = stride(from: 0, to: sessions, by: Self.sessionsPerAppend).map { $0..<min($0 + Self.sessionsPerAppend, sessions) }
        let written = try await withThrowingTaskGroup(of: Int.self) { group in
            var total = 0
            var pending = chunks[...]
            for _ in 0..<4 { if let chunk = pending.popFirst() { group.addTask { try await append(chunk) } } }
            while let count = try await group.next() {
                total += count
                progress(total)
                if let chunk = pending.popFirst() { group.addTask { try await append(chunk) } }
            }
            return total
        }
        return (written, start.duration(to: .now))
    }

    private func append(_ range: Range<Int>) async throws -> Int {
        var appends: [StreamAppend] = []
        var count = 0
        for index in range {
            // Each message sealed with its owner's key, as the write path does.
            let metadata = EventMetadata(actor: "bench", dataSubject: "u\(index % owners)")
            let events = try self.events(of: index).map { try NewEvent($0, metadata: metadata) }
            count += events.count
            appends.append(StreamAppend(stream: Session.stream("s\(index)"), expected: .noStream, events: events))
        }
        _ = try await store.append(tenant: tenant, appends)
        return count
    }

    /// Session `index`: started an hour apart per 1,000 sessions, a message a minute.
    func events(of index: Int) -> [SessionEvent] {
        var corpus = SessionCorpus(seed: UInt64(index + 1))
        let id = "s\(index)"
        let startedAt = Date(timeIntervalSince1970: 1_790_000_000 + Double(index) * 3.6)
        var events: [SessionEvent] = [.started(sessionID: id, ownerID: "u\(index % owners)", title: "Chat \(index) " + corpus.message().prefix(40),
                                               config: Self.config, at: startedAt)]
        var parent: String?
        for n in 0..<messagesPerSession {
            let message = ChatMessage(messageID: "m\(n)", parentID: parent, role: n % 2 == 0 ? .user : .assistant, content: corpus.message(),
                                      model: n % 2 == 0 ? nil : "gpt-4o", promptTokens: n % 2 == 0 ? 0 : 120, completionTokens: n % 2 == 0 ? 0 : 60)
            events.append(.messageAppended(sessionID: id, message, at: startedAt + Double(n + 1) * 60))
            parent = message.messageID
        }
        return events
    }
}
