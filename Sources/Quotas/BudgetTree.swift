import Domain
import EventStore
import Foundation
import Logging

/// The one writer, inside this process, of every budget under one root (a tenant's budget
/// tree) and of the reservations on them.
///
/// Callers queue operations; one of them at a time leads: it takes the queue as a batch,
/// decides it in order against the budgets held in memory, appends the result in one
/// transaction with each stream's expected version, and wakes the callers. Another
/// process writing the same budgets makes the append fail on a version; the tree then
/// reloads what moved and decides the batch again. A refusal is only answered once the
/// budgets it read are known to be current.
actor BudgetTree {
    let tenant: String
    let store: EventStore
    let logger: Logger
    /// A budget is snapshotted once this many events were added since its last snapshot.
    let snapshotEvery: Int64
    /// The most attempts at one batch before its callers get the conflict.
    static let maximumAttempts = 16

    var budgets: [String: LoadedBudget] = [:]
    private var pending: [LedgerJob] = []
    private var leading = false
    /// Woken by each batch that gave budget back, for callers waiting for room.
    let freed = Wakeups()

    init(tenant: String, store: EventStore, logger: Logger, snapshotEvery: Int64) {
        self.tenant = tenant
        self.store = store
        self.logger = logger
        self.snapshotEvery = snapshotEvery
    }

    /// Decides and records `operation`, batched with whatever else is waiting.
    /// - Throws: the domain error of the operation, or ``EventStoreError``.
    func submit(
        _ operation: LedgerOperation, metadata: EventMetadata, known: FoldedState<ReservationState>? = nil
    ) async throws -> LedgerResult {
        let job = LedgerJob(operation: operation, metadata: metadata, known: known)
        pending.append(job)
        if leading, await job.wait(isolation: self) == .done { return try job.outcome!.get() }
        leading = true
        while !job.isFinished { await processNextBatch() }
        if let next = pending.first { next.wake(.lead) } else { leading = false }
        return try job.outcome!.get()
    }

    /// The next operations in arrival order whose streams (each one's reservation and
    /// chain) fit in one append of the store (at least one).
    private func takeBatch() -> [LedgerJob] {
        var streams: Set<String> = []
        var count = 0
        for job in pending {
            var touched = streams
            touched.insert(Reservation.stream(job.operation.reservationID))
            touched.formUnion(job.operation.chain.map(Budget.stream))
            guard count == 0 || touched.count <= store.limits.maximumStreams else { break }
            streams = touched
            count += 1
        }
        let batch = Array(pending.prefix(count))
        pending.removeFirst(count)
        return batch
    }

    private func processNextBatch() async {
        let batch = takeBatch()
        do {
            try await run(batch)
        } catch {
            let failure = Self.contention(error) ?? error
            for job in batch { job.finish(.failure(failure)) }
            for id in Set(batch.flatMap(\.operation.chain)) { budgets[id] = nil }
            logger.warning("quota batch failed", metadata: ["tenant": "\(tenant)", "operations": "\(batch.count)",
                                                          "error": "\(String(reflecting: error))"])
        }
    }
}

extension BudgetTree {
    /// A batch that lost every attempt to other writers fails as unavailable (retry
    /// later), not as a stale version the caller never gave.
    static func contention(_ error: any Error) -> EventStoreError? {
        guard let error = error as? EventStoreError, error.code == .wrongExpectedVersion else { return nil }
        var contended = Self.contended
        contended.underlying = error
        return contended
    }

    /// What callers get when other writers kept the budgets moving through every attempt.
    static let contended = EventStoreError(.unavailable, "the budget is being written by other processes; retry")
}

/// A budget's state in memory, and the version of its latest snapshot.
struct LoadedBudget: Sendable {
    var folded: FoldedState<BudgetState>
    var snapshotVersion: Int64
}
