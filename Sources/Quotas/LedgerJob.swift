import Domain
import EventStore
import Foundation

/// One operation waiting in a budget tree, and the caller waiting for it. Confined to
/// its ``BudgetTree`` actor: created, signalled and read only there.
final class LedgerJob: @unchecked Sendable {
    /// What a waiting caller is woken with: its outcome, or the turn to lead the next batches.
    enum Signal {
        case done
        case lead
    }

    /// What to decide; a reserve's key is read again when the key moved (see ``BudgetTree``).
    var operation: LedgerOperation
    let metadata: EventMetadata
    /// The reservation as the caller last read it, if it did.
    var known: FoldedState<ReservationState>?
    private(set) var outcome: Result<LedgerResult, any Error>?
    private var continuation: CheckedContinuation<Signal, Never>?
    private var early: Signal?

    init(operation: LedgerOperation, metadata: EventMetadata, known: FoldedState<ReservationState>?) {
        self.operation = operation
        self.metadata = metadata
        self.known = known
    }

    var isFinished: Bool { outcome != nil }

    /// Records the outcome and wakes the caller.
    func finish(_ outcome: Result<LedgerResult, any Error>) {
        guard self.outcome == nil else { return }
        self.outcome = outcome
        wake(.done)
    }

    /// Wakes the caller with `signal` (now, or as soon as it waits).
    func wake(_ signal: Signal) {
        if let continuation {
            self.continuation = nil
            continuation.resume(returning: signal)
        } else {
            early = signal
        }
    }

    /// Suspends until ``wake(_:)``; call only from the owning actor.
    func wait(isolation: isolated (any Actor)) async -> Signal {
        if let early {
            self.early = nil
            return early
        }
        return await withCheckedContinuation(isolation: isolation) { continuation = $0 }
    }
}
