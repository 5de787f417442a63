import Domain
import EventStore
import Foundation

extension BudgetTree {
    /// Loads the budgets of `batch` not in memory yet, and the reservations that are not
    /// new and that the caller did not read.
    func loadMissing(_ batch: [LedgerJob]) async throws {
        for id in Set(batch.flatMap(\.operation.chain)) where budgets[id] == nil {
            budgets[id] = try await load(id)
        }
        for job in batch where job.known == nil && !job.operation.isReserve {
            job.known = try await store.state(of: Reservation.self, tenant: tenant, stream: Reservation.stream(job.operation.reservationID))
        }
    }

    /// A budget from its latest snapshot and the events after it.
    func load(_ id: String) async throws -> LoadedBudget {
        let stream = Budget.stream(id)
        var start: FoldedState<BudgetState>?
        if let snapshot = try await store.snapshot(tenant: tenant, stream: stream, kind: BudgetSnapshot.kind) {
            do {
                start = FoldedState(state: try BudgetSnapshot.decode(snapshot.state), version: snapshot.version)
            } catch {
                logger.warning("ignoring an unreadable budget snapshot", metadata: ["stream": "\(stream)", "error": "\(error)"])
            }
        }
        let folded = try await store.state(of: Budget.self, tenant: tenant, stream: stream, from: start)
        guard folded.state.definition != nil else { throw BudgetError.notDefined }
        return LoadedBudget(folded: folded, snapshotVersion: start?.version ?? 0)
    }

    /// Folds the events other writers added to `ids` since they were loaded.
    func refresh(_ ids: [String]) async throws {
        for id in ids {
            guard let loaded = budgets[id] else { continue }
            budgets[id]?.folded = try await store.state(of: Budget.self, tenant: tenant, stream: Budget.stream(id), from: loaded.folded)
        }
    }

    /// Saves a snapshot of each budget in `streams` that grew by ``snapshotEvery`` events
    /// since its last one. A failure only costs a longer load later: it is logged.
    func snapshotIfDue(_ streams: Set<String>) async {
        for stream in streams {
            let id = String(stream.dropFirst(Budget.category.count + 1))
            guard let loaded = budgets[id], loaded.folded.version - loaded.snapshotVersion >= snapshotEvery else { continue }
            do {
                let snapshot = Snapshot(kind: BudgetSnapshot.kind, version: loaded.folded.version,
                                        state: try BudgetSnapshot.encode(loaded.folded.state))
                try await store.saveSnapshot(snapshot, tenant: tenant, stream: stream)
                budgets[id]?.snapshotVersion = loaded.folded.version
            } catch {
                logger.warning("budget snapshot failed", metadata: ["stream": "\(stream)", "error": "\(error)"])
            }
        }
    }
}
