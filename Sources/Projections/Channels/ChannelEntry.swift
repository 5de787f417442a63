import Domain
import Foundation

/// One channel as the read model holds it.
public struct ChannelEntry: Sendable {
    public internal(set) var state = Channel.initialState
    /// The stream version of the last event applied.
    public internal(set) var version: Int64 = 0
    public internal(set) var stats = ChannelStats()
    /// When the last event was recorded.
    public internal(set) var changedAt: Date?
    /// The names of the models its spec serves.
    public internal(set) var models: Set<String> = []

    /// Applies `event`, recorded at `at` as the stream's `version`; an outcome's cost is
    /// priced by the channel's costs, else by `book` (the tenant's price list).
    mutating func apply(_ event: ChannelEvent, version: Int64, at: Date, book: PriceListState?) {
        Channel.apply(event, to: &state)
        if case .created = event { state.forgetRequests() }
        switch event {
        case .created(_, let spec, _, _), .updated(let spec, _, _): models = Set(spec.models.map(\.name))
        default: break
        }
        self.version = version
        changedAt = at
        if case .outcomesRecorded(let outcomes, _) = event, let policy = state.spec?.breaker {
            for outcome in outcomes {
                stats.add(outcome, verdict: outcome.verdict(policy), costNanoUSD: cost(of: outcome, book: book))
            }
        }
    }

    /// What `outcome` cost at the channel's price for its model, else the price book's; nil
    /// without its usage or a price.
    private func cost(of outcome: CallOutcome, book: PriceListState?) -> Int64? {
        guard let usage = outcome.usage,
              let price = state.spec?.costs[outcome.model] ?? book?.models[outcome.model]?.value(at: outcome.at) else { return nil }
        return AppliedPrice(model: outcome.model, price: price).cost(of: usage)
    }

    /// The channel as routing sees it for `model`.
    public func routing(model: String) -> RoutingChannel {
        let figures = stats.smoothed[model]
        return RoutingChannel(state: state, successRate: figures?.successRate, latencyMs: figures?.latencyMs)
    }
}
