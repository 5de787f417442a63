/// The rules a key command can break.
public enum KeyError: Error, Equatable, Sendable {
    /// A key with this id exists already, with other settings.
    case alreadyIssued(keyID: String)
    /// There is no key with this id to revoke.
    case notIssued
    /// The name, roles or secret hash are not acceptable.
    case invalidCommand(reason: String)
}
