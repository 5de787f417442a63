import Domain
import DomainTesting
import Foundation
import Testing

/// Under random reports and probe claims, deciding and replaying agree: the events read back
/// from their stored form fold to the state each decision was made on, a breaker never holds
/// more live probe claims than its policy allows, and a trip always follows the outcome that
/// caused it.
@Suite struct ChannelReplayPropertyTests {
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomReportsAndClaims_replayToWhatWasDecided(seed: UInt64) throws {
        var generator = SeededGenerator(state: seed)
        var policy = channelPolicy
        policy.minimumCalls = 5
        var events = createdChannel(policy, keys: ["k1", "k2", "k3"])
        var clock: TimeInterval = 0
        var next = 0
        var claimed: [String] = []
        for _ in 0..<400 {
            clock += Double(Int.random(in: 0...4, using: &generator))
            let now = channelAt(clock)
            let command: ChannelCommand
            if Int.random(in: 0..<4, using: &generator) == 0 {
                let model: String? = [nil, "a", "b"].randomElement(using: &generator)!
                command = .claimProbe(model: model, requestID: "p\(Int.random(in: 0..<50, using: &generator))", now: now)
            } else {
                let report = (0..<Int.random(in: 1...8, using: &generator)).map { _ -> CallOutcome in
                    next += 1
                    // A third of the outcomes answer a claimed probe, most of them successes.
                    if !claimed.isEmpty, Int.random(in: 0..<3, using: &generator) == 0 {
                        return CallOutcome(requestID: claimed.removeFirst(), keyID: "k1", model: "a",
                                           status: [200, 200, 200, 503].randomElement(using: &generator)!, latencyMs: 10, at: now)
                    }
                    let id = "r\(next)"
                    let status = [200, 200, 200, 500, 503, 429, 0, 401, 400].randomElement(using: &generator)!
                    return CallOutcome(requestID: id, keyID: ["k1", "k2", "k3"].randomElement(using: &generator)!,
                                       model: ["a", "b", "c"].randomElement(using: &generator)!, status: status, latencyMs: 10,
                                       at: now.addingTimeInterval(-Double(Int.random(in: 0...90, using: &generator))))
                }
                command = .recordOutcomes(report, now: now)
            }
            let state = Channel.fold(events)
            guard let decided = try? Channel.decide(command, state) else { continue }
            try expectTripsFollowTheirCause(decided)
            if case .recordOutcomes(let report, let now) = command {
                // Deciding the report at once ends where deciding its outcomes one by one ends.
                let oneByOne = try decidedOneByOne(report, now: now, on: events)
                #expect(Channel.fold(events + decided) == Channel.fold(oneByOne))
            }
            for case .probeClaimed(_, let requestID, _) in decided { claimed.append(requestID) }
            events += decided
            let replayed = try events.map { try ChannelEvent(type: $0.type, schemaVersion: $0.schemaVersion, json: try $0.jsonData()) }
            let folded = Channel.fold(replayed)
            #expect(folded == Channel.fold(events))
            for breaker in [folded.breaker] + Array(folded.modelBreakers.values) {
                if case .halfOpen(let claims, let succeeded) = breaker.phase {
                    let live = claims.values.filter { now.timeIntervalSince($0) < policy.probeTimeout }.count
                    #expect(live + succeeded <= policy.probes)
                }
            }
        }
        #expect(events.contains { if case .tripped = $0 { true } else { false } })
        #expect(events.contains { if case .recovered = $0 { true } else { false } })
    }

    private func decidedOneByOne(_ report: [CallOutcome], now: Date, on history: [ChannelEvent]) throws -> [ChannelEvent] {
        var events = history
        for outcome in report { events += try Channel.decide(.recordOutcomes([outcome], now: now), Channel.fold(events)) }
        return events
    }

    /// A trip caused by an outcome comes right after the recorded outcomes whose last one caused it.
    private func expectTripsFollowTheirCause(_ events: [ChannelEvent]) throws {
        for (index, event) in events.enumerated() {
            guard case .tripped(_, let trip) = event, index > 0, case .outcomesRecorded(let outcomes, _) = events[index - 1] else { continue }
            #expect(outcomes.last?.requestID == trip.requestID)
        }
    }
}
