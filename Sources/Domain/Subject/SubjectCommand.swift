import Foundation

/// What can be asked of a data subject.
public enum SubjectCommand: Sendable, Hashable {
    /// Erase the subject's personal data, for `reason`, at `at`.
    case erase(subjectID: String, reason: String, at: Date)
}
