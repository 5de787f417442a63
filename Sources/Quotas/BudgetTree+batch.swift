import Domain
import EventStore
import Foundation

extension BudgetTree {
    /// Decides `batch` and appends it, again after reloading whatever another writer moved.
    func run(_ batch: [LedgerJob]) async throws {
        var attempt = 1
        while true {
            try await loadMissing(batch)
            var decider = BatchDecider(budgets: budgets.mapValues(\.folded))
            var decisions = batch.map { decider.decide($0) }
            let recheck = try await refusalsToRecheck(batch, decisions, written: decider.writtenBudgets)
            if !recheck.isEmpty {
                if attempt < Self.maximumAttempts {
                    try await refresh(recheck.budgets)
                    try await read(recheck.reservations, for: batch)
                    attempt += 1
                    continue
                }
                // Never a refusal from a view known to be stale: the caller retries.
                decisions = decisions.map { decision in
                    guard case .failure = decision else { return decision }
                    return .failure(Self.contended)
                }
            }
            do {
                let appended = decider.appends.isEmpty ? nil : try await store.append(tenant: tenant, decider.appends)
                commit(decider, appended)
                finish(batch, decisions, appended)
                await snapshotIfDue(decider.writtenBudgets)
                return
            } catch let conflict as EventStoreError where conflict.code == .wrongExpectedVersion && attempt < Self.maximumAttempts {
                try await reload(after: conflict, batch)
                attempt += 1
            }
        }
    }

    /// What a refusal of this batch may have been decided on without being current:
    /// budgets it read that no expected version of this append vouches for and whose
    /// version moved in the database, and reservations a refused reserve assumed new
    /// that exist (a retry of a request already granted, here or elsewhere).
    private func refusalsToRecheck(
        _ batch: [LedgerJob], _ decisions: [Result<BatchDecider.Decided, any Error>], written: Set<String>
    ) async throws -> (budgets: [String], reservations: [String], isEmpty: Bool) {
        var read: Set<String> = []
        var assumedNew: Set<String> = []
        for (job, decision) in zip(batch, decisions) {
            guard case .failure = decision else { continue }
            read.formUnion(job.operation.chain.filter { !written.contains(Budget.stream($0)) })
            if job.operation.isReserve, job.known == nil { assumedNew.insert(Reservation.stream(job.operation.reservationID)) }
        }
        guard !read.isEmpty || !assumedNew.isEmpty else { return ([], [], true) }
        let versions = try await store.versions(tenant: tenant, streams: read.map(Budget.stream) + Array(assumedNew))
        let moved = read.filter { versions[Budget.stream($0)] != self.budgets[$0]?.folded.version }
        let existing = assumedNew.filter { (versions[$0] ?? 0) > 0 }
        return (Array(moved), Array(existing), moved.isEmpty && existing.isEmpty)
    }

    /// Reads `streams` (existing reservations) into the jobs of `batch` that name them.
    private func read(_ streams: [String], for batch: [LedgerJob]) async throws {
        for stream in streams {
            let folded = try await store.state(of: Reservation.self, tenant: tenant, stream: stream)
            for job in batch where Reservation.stream(job.operation.reservationID) == stream { job.known = folded }
        }
    }

    private func commit(_ decider: BatchDecider, _ appended: AppendResult?) {
        for stream in decider.writtenBudgets {
            let id = String(stream.dropFirst(Budget.category.count + 1))
            budgets[id]?.folded = decider.budgets[id]!
        }
        if decider.freesBudget { freed.wakeAll() }
    }

    private func finish(_ batch: [LedgerJob], _ decisions: [Result<BatchDecider.Decided, any Error>], _ appended: AppendResult?) {
        var cursors: [String: Cursor] = [:]
        for event in appended?.events ?? [] { cursors["\(event.stream)#\(event.streamVersion)"] = event.cursor }
        for (job, decision) in zip(batch, decisions) {
            job.finish(decision.map { decided in
                let position = decided.wroteEvents ? cursors["\(Reservation.stream(decided.reservationID))#\(decided.version)"] : nil
                return LedgerResult(reservation: decided.reservation, version: decided.version, position: position)
            })
        }
    }

    /// After a version conflict: reload the budget that moved, or read the reservations
    /// other writers created or changed. The conflict names one stream; every new
    /// reservation of the batch that exists already is read at once, so retried requests
    /// cost one more attempt, not one each.
    private func reload(after conflict: EventStoreError, _ batch: [LedgerJob]) async throws {
        guard let stream = conflict.stream else { return }
        if stream.hasPrefix("\(Reservation.category)-") {
            let assumedNew = batch.filter { $0.known == nil }.map { Reservation.stream($0.operation.reservationID) }
            let versions = try await store.versions(tenant: tenant, streams: Array(Set(assumedNew + [stream])))
            try await read(versions.filter { $0.value > 0 }.map(\.key), for: batch)
        } else if stream.hasPrefix("\(Budget.category)-") {
            try await refresh([String(stream.dropFirst(Budget.category.count + 1))])
        } else if stream.hasPrefix("\(Key.category)-") {
            try await rereadKey(stream, for: batch)
        }
    }

    /// A key a grant was decided on moved (disabled, revoked, …): every reserve of the batch
    /// naming it is decided again on the key as its stream says now.
    private func rereadKey(_ stream: String, for batch: [LedgerJob]) async throws {
        let folded = try await store.state(of: Key.self, tenant: tenant, stream: stream)
        for job in batch {
            guard case .reserve(var request, let chain) = job.operation, let keyID = request.keyID,
                  Key.stream(keyID) == stream else { continue }
            request.key = folded.state.record
            request.keyVersion = folded.version
            job.operation = .reserve(request, chain: chain)
        }
    }
}
