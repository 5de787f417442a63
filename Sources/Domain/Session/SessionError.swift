/// The rules a session command can break.
public enum SessionError: Error, Equatable, Sendable {
    /// There is no session with this id.
    case notStarted
    /// A session with this id exists already, with other settings.
    case alreadyStarted
    /// The session is soft-deleted; only a restore applies.
    case deleted
    /// The session is archived; unarchive it to add to it.
    case archived
    /// No message with this id in the session.
    case unknownMessage(String)
    /// The id names a message (or summary, or share) that exists with other content.
    case idInUse(String)
    /// No share with this id on the session.
    case unknownShare(String)
    /// The session holds the most it may of `limit` (`messages`, `content_bytes`, `events`,
    /// `shares`): the command is valid, the session is full.
    case full(limit: String, reason: String)
    /// A field is out of bounds or malformed.
    case invalid(field: String, reason: String)

    /// An id names something that exists with other content (a session or anything in it).
    public var isIDConflict: Bool {
        switch self {
        case .alreadyStarted, .idInUse: true
        default: false
        }
    }
}
