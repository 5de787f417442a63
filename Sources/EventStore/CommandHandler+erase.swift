import Domain
import Foundation

extension CommandHandler where D == DataSubject {
    /// Erases a data subject: decides `command` on the subject's stream and, when the
    /// decider agrees, records its `SubjectErased` and destroys its key in one transaction
    /// (``EventStore/eraseSubject(tenant:subject:stream:expected:erasure:)``). A concurrent
    /// erasure of the same subject makes this one decide again, on the erased state.
    /// - Throws: ``Domain/SubjectError`` (`alreadyErased`, `invalid`), nothing written;
    ///   ``EventStoreError`` as the store's append.
    public func erase(_ command: SubjectCommand, tenant: String, metadata: EventMetadata = EventMetadata()) async throws
        -> Outcome
    {
        let subjectID = switch command { case .erase(let subjectID, _, _): subjectID }
        let stream = DataSubject.stream(subjectID)
        var attempt = 1
        while true {
            let current = try await store.state(of: DataSubject.self, tenant: tenant, stream: stream)
            let events = try DataSubject.decide(command, current.state)
            let state = events.reduce(current.state, DataSubject.evolve)
            guard let event = events.first, events.count == 1 else {
                return Outcome(events: events, state: state, version: current.version, append: nil)
            }
            do {
                let append = try await store.eraseSubject(
                    tenant: tenant, subject: subjectID, stream: stream, expected: .exact(current.version),
                    erasure: try NewEvent(event, metadata: metadata))
                return Outcome(events: events, state: state, version: append.version(of: stream) ?? current.version,
                               append: append)
            } catch let error as EventStoreError where error.code == .wrongExpectedVersion && attempt < maximumAttempts {
                attempt += 1
            }
        }
    }
}
