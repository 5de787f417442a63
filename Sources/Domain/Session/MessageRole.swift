/// Who wrote a message.
public enum MessageRole: String, Sendable, Hashable, CaseIterable, Codable {
    case system, user, assistant, tool
}

/// What a shared link lets its holder do with the session.
public enum ShareMode: String, Sendable, Hashable, CaseIterable, Codable {
    case read, comment, edit
}
