import Foundation

extension Channel {
    /// The longest upstream secret the server seals, in bytes.
    public static let maximumSecretLength = 2_048
    /// The longest sealed secret (base64) and secret reference, in characters.
    public static let maximumSealedLength = 4_096
    public static let maximumReferenceLength = 500

    /// - Throws: ``ChannelError/invalid(field:reason:)`` naming the first outcome's field that breaks its rule.
    static func validate(_ outcomes: [CallOutcome], now: Date, state: ChannelState) throws {
        guard (1...maximumOutcomesPerReport).contains(outcomes.count) else {
            throw ChannelError.invalid(field: "outcomes", reason: "must hold 1-\(maximumOutcomesPerReport) outcomes")
        }
        for (index, outcome) in outcomes.enumerated() {
            try validate(outcome, field: "outcomes[\(index)]", now: now, state: state)
        }
    }

    /// - Throws: ``ChannelError/invalid(field:reason:)`` naming `field`'s first part that breaks
    ///   its rule (a key the channel does not have included).
    public static func validate(_ outcome: CallOutcome, field: String, now: Date, state: ChannelState) throws {
        func check(_ ok: Bool, _ name: String, _ reason: String) throws {
            guard ok else { throw ChannelError.invalid(field: "\(field).\(name)", reason: reason) }
        }
        try validateText(outcome.requestID, field: "\(field).request_id", maximum: 200)
        try check(state.key(outcome.keyID) != nil, "key_id", "names no key of the channel")
        try validateText(outcome.model, field: "\(field).model", maximum: 200)
        try check(outcome.status == 0 || (100...599).contains(outcome.status), "status", "must be 0 (no answer) or 100-599")
        if !outcome.errorType.isEmpty { try validateText(outcome.errorType, field: "\(field).error_type", maximum: 200) }
        if let reason = TextRule.problem(with: outcome.message, maximum: maximumMessageLength, multiline: true) {
            throw ChannelError.invalid(field: "\(field).message", reason: reason)
        }
        try check((0...86_400_000).contains(outcome.latencyMs), "latency_ms", "must be 0-86400000")
        try check((0...1_000_000_000).contains(outcome.tokens), "tokens", "must be 0-1000000000")
        if let usage = outcome.usage {
            let counts = [usage.prompt, usage.completion, usage.cached]
            try check(usage.isValid && counts.allSatisfy { $0 <= 1_000_000_000 } && usage.prompt + usage.completion <= 1_000_000_000,
                      "usage", "counts must be 0 or more, 1000000000 together at most, cached tokens part of the prompt's")
        }
        if let retryAfter = outcome.retryAfter {
            try check(retryAfter.isFinite && (0...BreakerPolicy.longestRetryAfter).contains(retryAfter), "retry_after",
                      "must be 0-\(Int(BreakerPolicy.longestRetryAfter)) seconds")
        }
        try check(outcome.at >= now.addingTimeInterval(-outcomeHorizon), "at",
                  "must be at most \(Int(outcomeHorizon)) seconds ago")
        try check(outcome.at <= now.addingTimeInterval(clockSkew), "at", "must not be more than \(Int(clockSkew)) seconds ahead")
    }

    static func validate(_ secret: ChannelSecret) throws {
        switch secret {
        case .sealed(let text):
            guard (1...maximumSealedLength).contains(text.utf8.count), Data(base64Encoded: text) != nil else {
                throw ChannelError.invalid(field: "secret", reason: "must be base64 of at most \(maximumSealedLength) characters")
            }
        case .reference(let text):
            try validateText(text, field: "secret_ref", maximum: maximumReferenceLength)
        }
    }

    static func validateID(_ id: String, field: String) throws {
        do {
            try Document.validateIdentifier(id, field: field)
        } catch DocumentError.invalid(let field, let reason) {
            throw ChannelError.invalid(field: field, reason: reason)
        }
    }

    static func validateText(_ text: String, field: String, maximum: Int) throws {
        if let reason = TextRule.problem(with: text, maximum: maximum) { throw ChannelError.invalid(field: field, reason: reason) }
    }
}
