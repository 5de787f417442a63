import Domain
import Foundation
import Hummingbird

extension RouteController {
    /// Why no channel may serve the request: 422 when none is configured to (no enabled
    /// channel with an active key serves the model for the group), else 503, with
    /// `Retry-After` when a breaker reopens (breakers open, keys set aside, every one excluded).
    static func noChannel(_ request: RouteRequest, _ states: [ChannelState], now: Date) -> APIError {
        let serving = states.filter { $0.spec?.models.contains { $0.name == request.model } == true }
        guard !serving.isEmpty else { return unconfigured("model", "no channel serves model \(request.model)") }
        let grouped = serving.filter { $0.spec.map { $0.groups.isEmpty || $0.groups.contains(request.group) } ?? false }
        guard !grouped.isEmpty else {
            return unconfigured("group", "no channel serves model \(request.model) for group \(request.group)")
        }
        let configured = grouped.filter { $0.status == .enabled && $0.keys.contains { $0.status == .active } }
        guard !configured.isEmpty else {
            return unconfigured("model", "no enabled channel with an active key serves model \(request.model) for group \(request.group)")
        }
        var problem = APIError(.serviceUnavailable, "no-channel", "No channel",
                               detail: "none of the \(configured.count) channels serving model \(request.model) for group "
                                   + "\(request.group) may take it now: their breakers are open, their keys set aside, or they were excluded")
        let reopens = configured.compactMap { state -> Date? in
            if case .open(let until) = state.breaker.phase { return until }
            if case .open(let until)? = state.modelBreakers[request.model]?.phase { return until }
            return nil
        }
        if let soonest = reopens.min() { problem.headers[.retryAfter] = APIError.retryAfter(soonest, now: now) }
        return problem
    }

    static func unconfigured(_ field: String, _ detail: String) -> APIError {
        APIError(.unprocessableContent, "no-channel-configured", "No channel configured", detail: detail,
                 fieldErrors: [APIError.FieldError(field: field, message: detail)])
    }
}
