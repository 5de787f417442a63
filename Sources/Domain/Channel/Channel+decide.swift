import Foundation

extension Channel {
    /// The events `command` causes on `state`.
    /// - Throws: ``ChannelError`` when it breaks a rule: a field out of its rule (`invalid`),
    ///   a channel never created (`unknown`) or deleted, another spec for an existing id, a
    ///   key unknown, existing with another secret or not active, a disabled channel, or no
    ///   free probe slot.
    public static func decide(_ command: ChannelCommand, _ state: ChannelState) throws -> [ChannelEvent] {
        switch command {
        case .create(let id, let spec, let by, let now): try create(id, spec, by: by, now: now, state: state)
        case .update(let spec, let by, let now): try update(spec, by: by, now: now, state: state)
        case .enable(let by, let now): try enable(by: by, now: now, state: state)
        case .disable(let by, let reason, let now): try disable(by: by, reason: reason, now: now, state: state)
        case .delete(let by, let now): try delete(by: by, now: now, state: state)
        case .addKey(let id, let secret, let by, let now): try addKey(id, secret, by: by, now: now, state: state)
        case .drainKey(let id, let by, let now): try drainKey(id, by: by, now: now, state: state)
        case .retireKey(let id, let by, let now): try retireKey(id, by: by, now: now, state: state)
        case .recordOutcomes(let outcomes, let now): try record(outcomes, now: now, state: state)
        case .claimProbe(let model, let requestID, let now): try claimProbe(model, requestID: requestID, now: now, state: state)
        }
    }

    private static func create(_ id: String, _ spec: ChannelSpec, by: String, now: Date, state: ChannelState) throws -> [ChannelEvent] {
        try validateID(id, field: "id")
        try spec.validate()
        try validateText(by, field: "by", maximum: 200)
        guard !state.isDeleted else { throw ChannelError.deleted }
        guard let existing = state.spec else { return [.created(id: id, spec: spec, by: by, at: now)] }
        guard existing == spec else { throw ChannelError.exists }
        return []
    }

    private static func update(_ spec: ChannelSpec, by: String, now: Date, state: ChannelState) throws -> [ChannelEvent] {
        try spec.validate()
        try validateText(by, field: "by", maximum: 200)
        try requireLive(state)
        return state.spec == spec ? [] : [.updated(spec: spec, by: by, at: now)]
    }

    private static func enable(by: String, now: Date, state: ChannelState) throws -> [ChannelEvent] {
        try validateText(by, field: "by", maximum: 200)
        try requireLive(state)
        return state.status == .enabled ? [] : [.enabled(by: by, at: now)]
    }

    private static func disable(by: String, reason: String, now: Date, state: ChannelState) throws -> [ChannelEvent] {
        try validateText(by, field: "by", maximum: 200)
        try validateText(reason, field: "reason", maximum: 1_000)
        try requireLive(state)
        if case .disabled = state.status { return [] }
        return [.disabled(by: by, reason: reason, at: now)]
    }

    private static func delete(by: String, now: Date, state: ChannelState) throws -> [ChannelEvent] {
        try validateText(by, field: "by", maximum: 200)
        guard state.isKnown else { throw ChannelError.unknown }
        return state.isDeleted ? [] : [.deleted(by: by, at: now)]
    }

    private static func addKey(_ id: String, _ secret: ChannelSecret, by: String, now: Date, state: ChannelState) throws -> [ChannelEvent] {
        try validateID(id, field: "key_id")
        try validate(secret)
        try validateText(by, field: "by", maximum: 200)
        try requireLive(state)
        if let existing = state.key(id) {
            guard existing.secret == secret else { throw ChannelError.keyExists(id) }
            guard existing.status == .active else { throw ChannelError.keyStatus(id: id, status: existing.status) }
            return []
        }
        guard state.keys.count < maximumKeys else { throw ChannelError.tooManyKeys(limit: maximumKeys) }
        return [.keyAdded(ChannelKey(id: id, secret: secret, addedBy: by, addedAt: now))]
    }

    private static func drainKey(_ id: String, by: String, now: Date, state: ChannelState) throws -> [ChannelEvent] {
        try validateText(by, field: "by", maximum: 200)
        let key = try liveKey(id, state)
        switch key.status {
        case .active: return [.keyDraining(keyID: id, by: by, at: now)]
        case .draining: return []
        case .retired: throw ChannelError.keyStatus(id: id, status: .retired)
        }
    }

    private static func retireKey(_ id: String, by: String, now: Date, state: ChannelState) throws -> [ChannelEvent] {
        try validateText(by, field: "by", maximum: 200)
        let key = try liveKey(id, state)
        return key.status == .retired ? [] : [.keyRetired(keyID: id, by: by, at: now)]
    }

    /// The outcomes not recorded yet, split after each one that causes a transition so that
    /// replaying the events counts exactly what deciding counted.
    private static func record(_ outcomes: [CallOutcome], now: Date, state: ChannelState) throws -> [ChannelEvent] {
        try requireLive(state)
        try validate(outcomes, now: now, state: state)
        var state = state
        var events: [ChannelEvent] = []
        var pending: [CallOutcome] = []
        for outcome in outcomes where !state.recent.contains(outcome.requestID) {
            let transitions = state.count(outcome, now: now)
            pending.append(outcome)
            guard !transitions.isEmpty else { continue }
            events.append(.outcomesRecorded(pending, at: now))
            pending = []
            for transition in transitions {
                events.append(transition)
                apply(transition, to: &state)
            }
        }
        if !pending.isEmpty { events.append(.outcomesRecorded(pending, at: now)) }
        return events
    }

    private static func claimProbe(_ model: String?, requestID: String, now: Date, state: ChannelState) throws -> [ChannelEvent] {
        try validateText(requestID, field: "request_id", maximum: 200)
        try requireLive(state)
        guard state.status == .enabled, let policy = state.spec?.breaker else { throw ChannelError.disabled }
        if let model, state.spec?.models.contains(where: { $0.name == model }) != true {
            throw ChannelError.invalid(field: "model", reason: "is not served by the channel")
        }
        if model != nil, case .open(let until) = state.breaker.phase { throw ChannelError.noProbeSlot(model: nil, until: until) }
        if model != nil, state.breaker.phase != .closed { throw ChannelError.noProbeSlot(model: nil, until: nil) }
        let breaker = state.breaker(of: model)
        // Closed already (a view that was behind): the call needs no probe slot.
        if breaker.phase == .closed { return [] }
        guard let transitions = breaker.claimProbe(requestID: requestID, now: now, policy: policy) else {
            if case .open(let until) = breaker.phase { throw ChannelError.noProbeSlot(model: model, until: until) }
            throw ChannelError.noProbeSlot(model: model, until: nil)
        }
        return transitions.map { ChannelEvent($0, model: model) }
    }

    /// - Throws: ``ChannelError/unknown`` or ``ChannelError/deleted``.
    private static func requireLive(_ state: ChannelState) throws {
        guard state.isKnown else { throw ChannelError.unknown }
        guard !state.isDeleted else { throw ChannelError.deleted }
    }

    private static func liveKey(_ id: String, _ state: ChannelState) throws -> ChannelKey {
        try requireLive(state)
        guard let key = state.key(id) else { throw ChannelError.unknownKey(id) }
        return key
    }
}
