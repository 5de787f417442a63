import Domain
import DomainTesting
import Foundation
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

@Suite struct SubjectDeciderTests {
    @Test func erase_aKnownSubject_recordsTheErasure_withItsReasonTrimmed() {
        DataSubject.given()
            .when(.erase(subjectID: "u1", reason: "  request #42 ", at: t0))
            .then([.erased(subjectID: "u1", reason: "request #42", at: t0)])
    }

    @Test func erase_leavesTheSubjectErased() {
        DataSubject.given()
            .when(.erase(subjectID: "u1", reason: "request #42", at: t0))
            .thenState(.erased(at: t0, reason: "request #42"))
    }

    @Test func erase_anErasedSubject_isRefused_namingWhenItWasErased() {
        DataSubject.given(.erased(subjectID: "u1", reason: "first", at: t0))
            .when(.erase(subjectID: "u1", reason: "again", at: t0.addingTimeInterval(60)))
            .thenThrows(SubjectError.alreadyErased(at: t0))
    }

    @Test(arguments: ["", "   ", String(repeating: "x", count: DataSubject.maximumReasonLength + 1)])
    func erase_withoutAReasonOrWithOneTooLong_isRefused(reason: String) {
        let expected = reason.count > DataSubject.maximumReasonLength
            ? SubjectError.invalid(field: "reason", reason: "is longer than \(DataSubject.maximumReasonLength) characters")
            : SubjectError.invalid(field: "reason", reason: "is required")
        DataSubject.given().when(.erase(subjectID: "u1", reason: reason, at: t0)).thenThrows(expected)
    }

    @Test func anErasure_roundTripsThroughItsSchema() throws {
        let event = SubjectEvent.erased(subjectID: "u1", reason: "request #42", at: t0)
        #expect(try SubjectEvent(type: event.type, schemaVersion: 1, json: try event.jsonData()) == event)
        #expect(event.type == "SubjectErased" && EventRegistry.typeNames.contains("SubjectErased"))
    }
}
