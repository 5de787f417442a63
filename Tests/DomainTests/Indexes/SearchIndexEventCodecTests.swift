import Domain
import Foundation
import Testing

private typealias F = IndexFixtures

@Suite struct SearchIndexEventCodecTests {
    static let events: [SearchIndexEvent] = F.rolling + [
        F.created(3, from: 1, at: 0.25),
        .trafficShifted(weights: [IndexWeight(version: 2, percent: 30), IndexWeight(version: 1, percent: 70)], step: nil,
                        by: "key:ops", at: indexAt(1)),
        .rolloutPaused(canary: 2, by: "key:ops", at: indexAt(2)),
        .rolloutResumed(canary: 2, by: "key:ops", at: indexAt(3)),
        .rolloutCompleted(canary: 2, previous: 1, by: "analysis", at: indexAt(4)),
        .rolledBack(RollbackRecord(canary: 2, restored: 1, trigger: .automatic, failedBounds: ["error rate 0.04 against 0.002"],
                                   canaryFigures: F.healthy, stableFigures: VersionFigures(), by: "analysis", at: indexAt(5))),
        .rolledBack(RollbackRecord(canary: 2, restored: 1, trigger: .manual, reason: "odd", by: "key:ops", at: indexAt(6))),
        .evaluationRecorded(version: 2, F.evaluation(recall: 0.93, mrr: 0.71)),
        .versionDeprecated(version: 1, reason: "old model", at: indexAt(7)),
        .versionRetired(version: 1, by: "key:ops", at: indexAt(8)),
        .rolloutStarted(canary: 3, stable: 2, plan: RolloutPlan(steps: [100], pause: 0, bounds: RolloutBounds(
            minSearches: 0, maxErrorRateIncrease: 0, maxLatencyRatio: nil, minFeedbackRatio: nil, maxRecallDrop: nil)),
                        by: "key:ops", at: indexAt(9)),
    ]

    @Test func everyKind_isCovered() {
        #expect(Set(Self.events.map(\.kind)) == Set(SearchIndexEvent.Kind.allCases))
    }

    @Test(arguments: events)
    func event_roundTripsThroughProto3JSON(event: SearchIndexEvent) throws {
        let json = try event.jsonData()
        #expect(try SearchIndexEvent(type: event.type, schemaVersion: event.schemaVersion, json: json) == event)
    }

    @Test func aBoundOfZero_staysAZeroBound_andAnAbsentOneStaysAbsent() throws {
        let json = try Self.events.last!.jsonData()
        #expect(json.contains("\"maxErrorRateIncrease\":{}"))
        #expect(!json.contains("maxLatencyRatio"))
    }

    @Test func aTypeNoIndexWrites_isRefused() {
        #expect(throws: EventCodingError.unknownType("IndexExploded")) {
            try SearchIndexEvent(type: "IndexExploded", schemaVersion: 1, json: "{}")
        }
    }

    @Test func anUnknownMetric_isRefused() throws {
        let json = try F.created(1).jsonData().replacingOccurrences(of: "\"cosine\"", with: "\"hamming\"")
        #expect(throws: EventCodingError.self) { try SearchIndexEvent(type: "IndexVersionCreated", schemaVersion: 1, json: json) }
    }
}
