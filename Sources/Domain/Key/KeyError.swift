import Foundation

/// The rules a key command can break.
public enum KeyError: Error, Equatable, Sendable {
    /// A key with this id exists already, with other settings.
    case alreadyIssued(keyID: String)
    /// There is no key with this id.
    case notIssued
    /// The key is revoked, and a revoked key never changes again.
    case revoked
    /// The command does not apply to a key in this state, e.g. enabling an expired key.
    case notApplicable(reason: String)
    /// The profile or the times are not acceptable.
    case invalidCommand(reason: String)
}
