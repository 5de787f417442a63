/// A data subject: a user or end customer of a tenant whose personal data the log holds
/// encrypted with a key of its own (docs/erasure.md). Its stream, `subject-<id>`, records
/// its erasure. Stream: `subject-<subject id>`.
public enum DataSubject: Decider {
    public typealias Command = SubjectCommand
    public typealias Event = SubjectEvent
    public typealias State = SubjectState

    public static let category = "subject"
    public static let initialState = SubjectState.known

    /// The stream of subject `subjectID`.
    public static func stream(_ subjectID: String) -> String { "\(category)-\(subjectID)" }

    /// The most characters of an erasure's reason.
    public static let maximumReasonLength = 1_000
}
