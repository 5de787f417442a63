import Foundation

/// A link to a session, or to one turn of it.
public struct SessionShare: Sendable, Hashable {
    public var shareID: String
    public var mode: ShareMode
    /// The shared turn; nil: the whole session.
    public var messageID: String?
    /// nil: never expires.
    public var expiresAt: Date?
    /// The password's salted hash (see `SessionShared.password_hash`); nil: no password.
    public var passwordHash: String?

    public init(shareID: String, mode: ShareMode, messageID: String? = nil, expiresAt: Date? = nil, passwordHash: String? = nil) {
        self.shareID = shareID
        self.mode = mode
        self.messageID = messageID
        self.expiresAt = expiresAt
        self.passwordHash = passwordHash
    }
}
