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

    /// Outcomes checked, ready to record.
    struct Checked {
        fileprivate let groups: [(String, [CallOutcome])]
        fileprivate let count: Int
    }

    /// Records `inputs` (reported at `now`) in `tenant`.
    /// - Throws: ``APIError`` naming the first outcome that breaks a rule (nothing is written then).
    func record(_ inputs: [OutcomeReportInput.OutcomeInput], tenant: String, now: Date, metadata: EventMetadata) async throws
        -> OutcomeReportView
    {
        try await record(try await check(inputs, tenant: tenant, now: now), tenant: tenant, now: now, metadata: metadata).view
    }

    /// Records outcomes `check` passed: each channel's in one append; then frees the calls'
    /// places under limits on requests at once.
    /// - Returns: the answer to the report, and the log position of its last event (nil when
    ///   every outcome was recorded before).
    func record(_ checked: Checked, tenant: String, now: Date, metadata: EventMetadata) async throws
        -> (view: OutcomeReportView, position: Cursor?)
    {
        let groups = checked.groups
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
        let calls = groups.flatMap { channelID, outcomes in outcomes.map { (request: $0.requestID, call: channelID) } }
        try await limiter.release(tenant: tenant, calls: calls)
        let view = OutcomeReportView(recorded: recorded, skipped: checked.count - recorded, transitions: transitions,
                                     position: position?.description)
        return (view, position)
    }

    /// The report's outcomes by channel, in the order of each channel's first outcome, once
    /// every one of them keeps its rules (on the channel's current state); `field` names the
    /// input of each index in errors.
    /// - Throws: ``APIError`` naming the first outcome that does not.
    func check(_ inputs: [OutcomeReportInput.OutcomeInput], tenant: String, now: Date,
               field name: (Int) -> String = { "outcomes[\($0)]" }) async throws -> Checked
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
        return Checked(groups: order.map { ($0, groups[$0] ?? []) }, count: inputs.count)
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
