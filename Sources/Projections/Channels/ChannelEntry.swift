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

    mutating func apply(_ event: ChannelEvent, version: Int64, at: Date) {
        Channel.apply(event, to: &state)
        if case .created = event { state.forgetRequests() }
        switch event {
        case .created(_, let spec, _, _), .updated(let spec, _, _): models = Set(spec.models.map(\.name))
        default: break
        }
        self.version = version
        changedAt = at
        if case .outcomesRecorded(let outcomes, _) = event, let policy = state.spec?.breaker {
            for outcome in outcomes { stats.add(outcome, verdict: outcome.verdict(policy)) }
        }
    }

    /// The channel as routing sees it for `model`.
    public func routing(model: String) -> RoutingChannel {
        let figures = stats.smoothed[model]
        return RoutingChannel(state: state, successRate: figures?.successRate, latencyMs: figures?.latencyMs)
    }
}
