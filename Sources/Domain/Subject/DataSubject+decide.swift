import Foundation

extension DataSubject {
    public static func decide(_ command: SubjectCommand, _ state: SubjectState) throws -> [SubjectEvent] {
        switch command {
        case .erase(let subjectID, let reason, let at):
            if case .erased(let erasedAt, _) = state { throw SubjectError.alreadyErased(at: erasedAt) }
            let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw SubjectError.invalid(field: "reason", reason: "is required") }
            guard trimmed.unicodeScalars.count <= maximumReasonLength else {
                throw SubjectError.invalid(field: "reason", reason: "is longer than \(maximumReasonLength) characters")
            }
            return [.erased(subjectID: subjectID, reason: trimmed, at: at)]
        }
    }

    public static func evolve(_ state: SubjectState, _ event: SubjectEvent) -> SubjectState {
        switch event {
        case .erased(_, let reason, let at): .erased(at: at, reason: reason)
        }
    }
}
