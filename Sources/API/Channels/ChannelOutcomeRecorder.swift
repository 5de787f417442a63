import Domain
import EventStore
import Foundation
import Hummingbird

/// Records what a gateway's upstream calls did (docs/channels.md, "Reports"): every outcome
/// is checked before anything is written; each channel's outcomes are then recorded in one
/// append (an outcome whose request id the channel recorded before is skipped), and the
/// calls' places under limits on requests at once are freed (docs/rate-limits.md). Used by
/// `POST /v1/channels/outcomes` and by a settlement that carries its call's outcome.
struct ChannelOutcomeRecorder {
    let writes: ChannelWrites
    let limiter: RateLimiter

    /// Records `inputs` (reported at `now`) in `tenant`; `field` names the input of each
    /// index in errors.
    /// - Throws: ``APIError`` naming the first outcome that breaks a rule (nothing is written then).
    func record(_ inputs: [OutcomeReportInput.OutcomeInput], tenant: String, now: Date, metadata: EventMetadata,
                field: (Int) -> String = { "outcomes[\($0)]" }) async throws -> OutcomeReportView
    {
        let groups = try await checked(inputs, tenant: tenant, now: now, field: field)
        var recorded = 0
        var transitions: [OutcomeReportView.TransitionView] = []
        var position: Cursor?
        for (channelID, outcomes) in groups {
            let outcome = try await writes.handle(.recordOutcomes(outcomes, now: now), tenant: tenant, id: channelID, metadata: metadata)
            for event in outcome.events {
                if case .outcomesRecorded(let written, _) = event { recorded += written.count }
                if let transition = Self.transition(event, channelID: channelID) { transitions.append(transition) }
            }
            position = outcome.append?.lastCursor ?? position
        }
        // The calls ended: their places under limits on requests at once are free.
        try await limiter.release(tenant: tenant, requests: inputs.map(\.requestId))
        return OutcomeReportView(recorded: recorded, skipped: inputs.count - recorded, transitions: transitions,
                                 position: position?.description)
    }

    /// The report's outcomes by channel, in the order of each channel's first outcome, once
    /// every one of them keeps its rules (on the channel's current state).
    /// - Throws: ``APIError`` naming the first outcome that does not (nothing is written then).
    private func checked(_ inputs: [OutcomeReportInput.OutcomeInput], tenant: String, now: Date, field name: (Int) -> String)
        async throws
        -> [(String, [CallOutcome])]
    {
        var order: [String] = []
        var groups: [String: [CallOutcome]] = [:]
        var states: [String: ChannelState] = [:]
        for (index, input) in inputs.enumerated() {
            let field = name(index)
            let outcome = try Self.outcome(input, field: field, now: now)
            if states[input.channelId] == nil {
                let state = try await writes.state(tenant: tenant, id: input.channelId, field: "\(field).channel_id")
                guard state.isKnown, !state.isDeleted else {
                    throw APIError.invalid("\(field).channel_id", "names no channel")
                }
                states[input.channelId] = state
                order.append(input.channelId)
            }
            try Channel.validate(outcome, field: field, now: now, state: states[input.channelId]!)
            groups[input.channelId, default: []].append(outcome)
        }
        return order.map { ($0, groups[$0] ?? []) }
    }

    /// The outcome `input` describes. An upstream's error text is kept as the gateway sends
    /// it, without control characters and cut to its length limit.
    private static func outcome(_ input: OutcomeReportInput.OutcomeInput, field: String, now: Date) throws -> CallOutcome {
        let at = try APITime.parse(input.at, field: "\(field).at") ?? now
        if let retryAfter = input.retryAfterMs, !(0...86_400_000).contains(retryAfter) {
            throw APIError.invalid("\(field).retry_after_ms", "must be 0-86400000")
        }
        return CallOutcome(requestID: input.requestId, keyID: input.keyId, model: input.model, status: input.status,
                           errorType: cleaned(input.errorType ?? "", keeping: [], maximum: 200)
                               .trimmingCharacters(in: .whitespaces),
                           message: cleaned(input.message ?? "", keeping: ["\n", "\t"], maximum: Channel.maximumMessageLength),
                           latencyMs: input.latencyMs, tokens: input.tokens ?? input.usage.map { Int(clamping: $0.usage.total) } ?? 0,
                           usage: input.usage?.usage,
                           retryAfter: input.retryAfterMs.map { TimeInterval($0) / 1_000 }, at: at)
    }

    private static func cleaned(_ text: String, keeping allowed: Set<Unicode.Scalar>, maximum: Int) -> String {
        let kept = text.unicodeScalars.filter { $0.properties.generalCategory != .control || allowed.contains($0) }
        return String(String(String.UnicodeScalarView(kept)).prefix(maximum))
    }

    private static func transition(_ event: ChannelEvent, channelID: String) -> OutcomeReportView.TransitionView? {
        switch event {
        case .tripped(let model, _), .recovered(let model, _, _):
            OutcomeReportView.TransitionView(channelId: channelID, type: event.type, model: model, keyId: nil)
        case .keyDisabled(let aside):
            OutcomeReportView.TransitionView(channelId: channelID, type: event.type, model: nil, keyId: aside.keyID)
        case .autoDisabled:
            OutcomeReportView.TransitionView(channelId: channelID, type: event.type, model: nil, keyId: nil)
        default: nil
        }
    }
}
