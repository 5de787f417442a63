import Foundation

/// What happened to a data subject.
public enum SubjectEvent: Sendable, Hashable {
    /// Its key was destroyed: its personal data reads as erased everywhere.
    case erased(subjectID: String, reason: String, at: Date)
}
