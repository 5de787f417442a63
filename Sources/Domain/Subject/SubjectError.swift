import Foundation

/// The rules a data subject's command can break.
public enum SubjectError: Error, Equatable, Sendable {
    /// The subject was erased already, at `at`: erasure happens once.
    case alreadyErased(at: Date)
    /// A field of the command is out of bounds (named).
    case invalid(field: String, reason: String)
}
