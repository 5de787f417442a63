import Foundation

/// What happened to a channel. A breaker event's `model` is nil for the channel's own breaker.
public enum ChannelEvent: Sendable, Equatable {
    case created(id: String, spec: ChannelSpec, by: String, at: Date)
    case updated(spec: ChannelSpec, by: String, at: Date)
    case enabled(by: String, at: Date)
    case disabled(by: String, reason: String, at: Date)
    /// The breaker tripped its policy's bound of trips in a row: an operator must enable it.
    case autoDisabled(tripsInARow: Int, at: Date)
    case deleted(by: String, at: Date)
    case keyAdded(ChannelKey)
    case keyDraining(keyID: String, by: String, at: Date)
    case keyRetired(keyID: String, by: String, at: Date)
    /// The upstream refused an active key while the channel's other keys work.
    case keyDisabled(KeyAside)
    /// Outcomes counted in order at `at`; one that caused a transition is the last of its
    /// event and the transition follows.
    case outcomesRecorded([CallOutcome], at: Date)
    case tripped(model: String?, BreakerTrip)
    case halfOpened(model: String?, at: Date)
    case probeClaimed(model: String?, requestID: String, at: Date)
    case recovered(model: String?, probes: Int, at: Date)
}

extension ChannelEvent {
    /// The event recording `transition` of the breaker of `model`.
    init(_ transition: BreakerTransition, model: String?) {
        switch transition {
        case .tripped(let trip): self = .tripped(model: model, trip)
        case .halfOpened(let at): self = .halfOpened(model: model, at: at)
        case .probeClaimed(let requestID, let at): self = .probeClaimed(model: model, requestID: requestID, at: at)
        case .recovered(let probes, let at): self = .recovered(model: model, probes: probes, at: at)
        }
    }

    /// The breaker transition it records, and whose breaker (nil model: the channel's).
    var transition: (model: String?, BreakerTransition)? {
        switch self {
        case .tripped(let model, let trip): (model, .tripped(trip))
        case .halfOpened(let model, let at): (model, .halfOpened(at: at))
        case .probeClaimed(let model, let requestID, let at): (model, .probeClaimed(requestID: requestID, at: at))
        case .recovered(let model, let probes, let at): (model, .recovered(probes: probes, at: at))
        default: nil
        }
    }
}
