import Domain
import EventStore
import Foundation
import Logging
import Synchronization

/// Reservations, settlements and refunds against budget chains, exact under contention.
///
/// Every budget tree (the budgets under one root) has one writer in this process, a
/// ``BudgetTree`` that batches what arrives while it writes. Several processes may
/// write the same budgets: expected versions keep them exact, and the loser of a race
/// re-decides from the new state. Budgets load from their latest snapshot, so a budget
/// with millions of events starts in milliseconds.
public final class QuotaLedger: Sendable {
    let store: EventStore
    let logger: Logger
    let snapshotEvery: Int64
    /// The time queued reservations are decided again at, and expiries are decided at.
    public let clock: WallClock
    /// One writer per budget tree in use; the least recently used leave past the bound (a
    /// tree evicted while a request still holds it finishes that request; the next one
    /// loads a new writer, and expected versions keep two writers exact).
    private let trees = BoundedCache<String, BudgetTree>(capacity: QuotaLedger.treeCapacity)
    /// Budget definitions, which never change once written.
    let definitions = BoundedCache<String, BudgetDefinition>(capacity: QuotaLedger.definitionCapacity)
    /// The most budget trees and definitions one process keeps.
    public static let treeCapacity = 10_000
    public static let definitionCapacity = 100_000

    /// - Parameters:
    ///   - snapshotEvery: a budget is snapshotted each time it grew by this many events.
    ///   - clock: the time a queued reservation is decided again at.
    public init(store: EventStore, logger: Logger, snapshotEvery: Int64 = 1_000,
                clock: WallClock = .system) {
        self.store = store
        self.logger = logger
        self.snapshotEvery = max(1, snapshotEvery)
        self.clock = clock
    }

    /// Reserves `request` on budget `budgetID` and every budget above it. When a budget
    /// that queues refuses, the reservation is decided again as budget frees up, until
    /// that budget's wait (at most `maximumWait`) runs out.
    /// - Throws: ``BudgetError``, ``ReservationError``, ``EventStoreError``.
    public func reserve(
        tenant: String, budgetID: String, _ request: ReserveRequest, maximumWait: Duration = .seconds(60),
        metadata: EventMetadata = EventMetadata()
    ) async throws -> LedgerResult {
        let chain = try await chain(tenant: tenant, budgetID: budgetID)
        let tree = tree(tenant: tenant, root: chain.last!.budgetID)
        let started = ContinuousClock.now
        var request = request
        while true {
            try Task.checkCancellation()
            let generation = tree.freed.generation
            do {
                return try await tree.submit(.reserve(request, chain: chain.map(\.budgetID)), metadata: metadata)
            } catch let refusal as BudgetError {
                guard case .insufficient(let refusing, _, _) = refusal,
                      let wait = Self.queueWait(of: refusing, in: chain).map({ min($0, maximumWait) }),
                      ContinuousClock.now < started + wait else { throw refusal }
                await waitForRoom(in: tree, after: generation, until: started + wait)
                request.now = clock.now()
            }
        }
    }

    /// Settles reservation `reservationID` with the usage reported.
    /// - Throws: ``ReservationError``, ``EventStoreError``.
    public func settle(
        tenant: String, reservationID: String, _ request: SettleRequest, metadata: EventMetadata = EventMetadata()
    ) async throws -> LedgerResult {
        try await onReservation(tenant: tenant, reservationID: reservationID, metadata: metadata) { chain in
            .settle(reservationID: reservationID, request, chain: chain)
        }
    }

    /// Releases reservation `reservationID`, refunding its hold.
    /// - Throws: ``ReservationError``, ``EventStoreError``.
    public func release(tenant: String, reservationID: String, now: Date, metadata: EventMetadata = EventMetadata()) async throws -> LedgerResult {
        try await onReservation(tenant: tenant, reservationID: reservationID, metadata: metadata) { chain in
            .release(reservationID: reservationID, now: now, chain: chain)
        }
    }

    /// Expires reservation `reservationID` if it is open past its time to live.
    /// - Throws: ``ReservationError``, ``EventStoreError``.
    public func expire(tenant: String, reservationID: String, now: Date, metadata: EventMetadata = EventMetadata()) async throws -> LedgerResult {
        try await onReservation(tenant: tenant, reservationID: reservationID, metadata: metadata) { chain in
            .expire(reservationID: reservationID, now: now, chain: chain)
        }
    }

    private func onReservation(
        tenant: String, reservationID: String, metadata: EventMetadata, _ operation: ([String]) -> LedgerOperation
    ) async throws -> LedgerResult {
        let known = try await store.state(of: Reservation.self, tenant: tenant, stream: Reservation.stream(reservationID))
        guard let grant = known.state.grant, let root = grant.holds.last?.budgetID else { throw ReservationError.notFound }
        let tree = tree(tenant: tenant, root: root)
        return try await tree.submit(operation(grant.holds.map(\.budgetID)), metadata: metadata, known: known)
    }

    func tree(tenant: String, root: String) -> BudgetTree {
        trees.value(for: "\(tenant)/\(root)") {
            BudgetTree(tenant: tenant, store: store, logger: logger, snapshotEvery: snapshotEvery)
        }
    }

    /// Sleeps until the tree gave budget back after `generation` (woken by that batch, no
    /// polling), for at most a second (another process, or a new window, may have made room
    /// meanwhile) and never past `deadline`.
    private func waitForRoom(in tree: BudgetTree, after generation: UInt64, until deadline: ContinuousClock.Instant) async {
        let stop = min(deadline, ContinuousClock.now + .seconds(1))
        await tree.freed.wait(after: generation, timeout: ContinuousClock.now.duration(to: stop))
    }

    private static func queueWait(of budgetID: String, in chain: [BudgetDefinition]) -> Duration? {
        guard case .queue(let millis) = chain.first(where: { $0.budgetID == budgetID })?.overflow else { return nil }
        return .milliseconds(millis)
    }
}
