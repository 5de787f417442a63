/// A chat session: a conversation kept as a tree of messages, with its title, model
/// configuration, tags, summaries and shared links. Stream: `session-<session id>`.
public enum Session: Decider {
    public typealias Command = SessionCommand
    public typealias Event = SessionEvent
    public typealias State = SessionState

    public static let category = "session"
    public static let initialState = SessionState.none

    /// The stream of session `sessionID`.
    public static func stream(_ sessionID: String) -> String { "\(category)-\(sessionID)" }

    /// The stream that counts the views of shared link `shareID`.
    public static func shareStream(_ shareID: String) -> String { "share-\(shareID)" }
}

/// The bounds on what a session holds; a command beyond one is refused with ``SessionError/invalid(field:reason:)``.
public enum SessionLimits {
    /// Session, message, summary and share ids: 1-100 ASCII letters, digits, `_ . : -`.
    public static let maximumIdentifierLength = 100
    public static let maximumTitleLength = 200
    /// Message content and summaries, in characters (Unicode scalars).
    public static let maximumContentLength = 100_000
    public static let maximumSummaryLength = 50_000
    public static let maximumSystemPromptLength = 50_000
    /// Messages per session; an export of the largest session still imports in one append.
    public static let maximumMessages = 5_000
    /// UTF-8 bytes of all message content and quotes together, so that an export (with its
    /// JSON around them) stays within one import.
    public static let maximumContentBytes = 8 << 20
    /// Events per session stream, every kind together: a write folds the whole stream.
    public static let maximumEvents = 20_000
    public static let maximumCitations = 64
    public static let maximumQuoteLength = 4_000
    public static let maximumTags = 20
    public static let maximumTagLength = 50
    public static let maximumConfigIDs = 50
    public static let maximumModelLength = 200
    /// Shares not revoked at once (expired ones count until revoked).
    public static let maximumShares = 100
    public static let maximumTokens: UInt64 = 100_000_000
}
