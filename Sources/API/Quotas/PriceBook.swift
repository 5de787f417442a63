import Domain
import EventStore
import Foundation
import Synchronization

/// Each tenant's price list, read from its stream and kept for a second, so that a
/// reservation costs no extra read. A price set through this process is seen at once;
/// one set through another process within a second. Each reservation records the
/// price it used.
final class PriceBook: Sendable {
    let store: EventStore
    private let lists = Mutex<[String: (folded: FoldedState<PriceListState>, readAt: ContinuousClock.Instant)]>([:])
    static let freshness: Duration = .seconds(1)

    init(store: EventStore) {
        self.store = store
    }

    /// The tenant's price list, at most a second old.
    func list(tenant: String) async throws -> PriceListState {
        let now = ContinuousClock.now
        let cached = lists.withLock { $0[tenant] }
        if let cached, now - cached.readAt < Self.freshness { return cached.folded.state }
        let folded = try await store.state(of: PriceList.self, tenant: tenant, stream: PriceList.stream, from: cached?.folded)
        lists.withLock { lists in
            if lists.count > 10_000 { lists.removeAll() }
            lists[tenant] = (folded, now)
        }
        return folded.state
    }

    /// Forgets the tenant's list after a change made here.
    func invalidate(tenant: String) {
        _ = lists.withLock { $0.removeValue(forKey: tenant) }
    }
}
