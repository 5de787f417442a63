import Domain
import EventStore
import Foundation
import Synchronization

/// The `channels` read model of this process (docs/channels.md, "Reading channels"): every
/// channel's state, folded from its stream with the channel's own `evolve` (so routing sees
/// exactly what the decider sees, as of the events applied), its stream version and its recent
/// figures; and each tenant's rate limits (docs/rate-limits.md), which routing applies with
/// the channels' own. Held in memory and folded from the log on start.
public final class ChannelsModel: ExternalReadModel {
    /// The event types it applies.
    public static var eventTypes: Set<String> {
        ChannelEvent.typeNames.union(RateLimitsEvent.typeNames).union(PriceListEvent.typeNames)
    }

    private let entries = Mutex<[String: [String: ChannelEntry]]>([:])
    /// The channels that serve each model, per tenant (ids; deleted ones left out), so that a
    /// route reads only those.
    private let serving = Mutex<[String: [String: Set<String>]]>([:])
    private let limits = Mutex<[String: RateLimitsState]>([:])
    /// Each tenant's price list, which prices outcomes of models a channel has no cost for.
    private let prices = Mutex<[String: PriceListState]>([:])

    public init() {}

    public func apply(_ events: [RecordedEvent]) async throws {
        try applyLimits(events.filter { $0.category == RateLimits.category })
        try applyPrices(events.filter { $0.category == PriceList.category })
        let decoded = try events.filter { $0.category == Channel.category }.map { ($0, try $0.decode(as: ChannelEvent.self)) }
        guard !decoded.isEmpty else { return }
        let books = prices.withLock { $0 }
        entries.withLock { entries in
            for (recorded, event) in decoded {
                let id = String(recorded.stream.dropFirst(Channel.category.count + 1))
                // Taken out while it changes, so that its state is changed in place, not copied.
                var entry = entries[recorded.tenant]?.removeValue(forKey: id) ?? ChannelEntry()
                let served = entry.models
                entry.apply(event, version: recorded.streamVersion, at: recorded.recordedAt, book: books[recorded.tenant])
                if entry.models != served || entry.state.isDeleted {
                    index(id, tenant: recorded.tenant, from: served, to: entry.state.isDeleted ? [] : entry.models)
                }
                entries[recorded.tenant, default: [:]][id] = entry
            }
        }
    }

    private func applyLimits(_ events: [RecordedEvent]) throws {
        guard !events.isEmpty else { return }
        let decoded = try events.map { ($0.tenant, try $0.decode(as: RateLimitsEvent.self)) }
        limits.withLock { limits in
            for (tenant, event) in decoded { RateLimits.apply(event, to: &limits[tenant, default: RateLimits.initialState]) }
        }
    }

    private func applyPrices(_ events: [RecordedEvent]) throws {
        guard !events.isEmpty else { return }
        let decoded = try events.map { ($0.tenant, try $0.decode(as: PriceListEvent.self)) }
        prices.withLock { prices in
            for (tenant, event) in decoded { PriceList.apply(event, to: &prices[tenant, default: PriceList.initialState]) }
        }
    }

    /// The limits that apply to `subject` of `scope` in `tenant` (its own, else the scope's
    /// `*` ones), as of the events applied; nil: none.
    public func rateLimit(tenant: String, _ scope: RateScope, _ subject: String) -> RateLimit? {
        limits.withLock { $0[tenant]?.limit(scope, subject) }
    }

    private func index(_ id: String, tenant: String, from old: Set<String>, to new: Set<String>) {
        serving.withLock { serving in
            for model in old.subtracting(new) {
                serving[tenant]?[model]?.remove(id)
                if serving[tenant]?[model]?.isEmpty == true { serving[tenant]?[model] = nil }
            }
            for model in new.subtracting(old) { serving[tenant, default: [:]][model, default: []].insert(id) }
        }
    }

    /// Memory only: there is nothing to save; a restart folds the log again.
    public func save(to folder: URL) throws {}

    public func takeSaveDue() -> Bool { false }

    /// The channel `id` of `tenant`, deleted ones included; nil when never created.
    public func channel(tenant: String, id: String) -> ChannelEntry? {
        entries.withLock { $0[tenant]?[id] }.flatMap { $0.state.isKnown ? $0 : nil }
    }

    /// The channels of `tenant` that serve `model` and are not deleted, as routing sees them.
    public func routing(tenant: String, model: String) -> [RoutingChannel] {
        entries.withLock { entries in
            let ids = serving.withLock { $0[tenant]?[model] ?? [] }
            return ids.compactMap { entries[tenant]?[$0]?.routing(model: model) }
        }
    }

    /// Every channel of `tenant` that is not deleted, by id.
    public func channels(tenant: String) -> [ChannelEntry] {
        entries.withLock { Array(($0[tenant] ?? [:]).values) }
            .filter { $0.state.isKnown && !$0.state.isDeleted }
            .sorted { $0.state.id < $1.state.id }
    }
}
