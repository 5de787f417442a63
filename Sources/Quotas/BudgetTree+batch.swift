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
            let decisions = batch.map { decider.decide($0) }
            let stale = try await staleRefusals(batch, decisions, written: decider.writtenBudgets)
            if !stale.isEmpty, attempt < Self.maximumAttempts {
                try await refresh(stale)
                attempt += 1
                continue
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

    /// The budgets that refused an operation without being written by this batch (so no
    /// expected version vouches for them) and whose version moved in the database.
    private func staleRefusals(
        _ batch: [LedgerJob], _ decisions: [Result<BatchDecider.Decided, any Error>], written: Set<String>
    ) async throws -> [String] {
        var read: Set<String> = []
        for (job, decision) in zip(batch, decisions) {
            guard case .failure(let error) = decision, error is BudgetError else { continue }
            read.formUnion(job.operation.chain.filter { !written.contains(Budget.stream($0)) })
        }
        guard !read.isEmpty else { return [] }
        let streams = read.map(Budget.stream)
        let versions = try await store.versions(tenant: tenant, streams: streams)
        return read.filter { versions[Budget.stream($0)] != budgets[$0]?.folded.version }
    }

    private func commit(_ decider: BatchDecider, _ appended: AppendResult?) {
        for stream in decider.writtenBudgets {
            let id = String(stream.dropFirst(Budget.category.count + 1))
            budgets[id]?.folded = decider.budgets[id]!
        }
        if decider.freesBudget { freedGeneration += 1 }
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
            for (existing, version) in versions where version > 0 {
                let folded = try await store.state(of: Reservation.self, tenant: tenant, stream: existing)
                for job in batch where Reservation.stream(job.operation.reservationID) == existing { job.known = folded }
            }
        } else if stream.hasPrefix("\(Budget.category)-") {
            try await refresh([String(stream.dropFirst(Budget.category.count + 1))])
        }
    }
}
