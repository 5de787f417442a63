import Domain
import Foundation

let indexT0 = Date(timeIntervalSince1970: 1_800_000_000)
func indexAt(_ seconds: TimeInterval) -> Date { indexT0.addingTimeInterval(seconds) }

enum IndexFixtures {
    static let sources = [IndexSource(documentID: "handbook", ref: "main"), IndexSource(documentID: "faq", ref: "v2")]
    static let spec = IndexVersionSpec(embeddingModel: "minilm-l6", dimension: 384, metric: .cosine, sources: sources)
    static let readiness = IndexReadiness(tasks: 2, tasksSucceeded: 2, chunks: 120, vectors: 120, servingProcesses: 1, processesLoaded: 1)
    static let plan = RolloutPlan(steps: [1, 10, 50, 100], pause: 300,
                                  bounds: RolloutBounds(minSearches: 100, maxErrorRateIncrease: 0.01, maxLatencyRatio: 1.5,
                                                        minFeedbackRatio: 0.9, maxRecallDrop: 0.02, maxMRRDrop: nil),
                                  pinnedKeys: ["qa-team"])

    static func created(_ version: Int, spec: IndexVersionSpec = spec, from: Int? = nil, at: TimeInterval = 0) -> SearchIndexEvent {
        .versionCreated(index: "kb-main", version: version, spec: spec, migratedFrom: from, by: "key:admin", at: indexAt(at))
    }

    static func ready(_ version: Int, at: TimeInterval = 10) -> SearchIndexEvent {
        .versionReady(version: version, readiness: readiness, at: indexAt(at))
    }

    /// Version 1 serving 100 %, version 2 ready.
    static let twoVersions: [SearchIndexEvent] = [
        created(1), ready(1), .versionActivated(version: 1, previous: nil, by: "key:admin", at: indexAt(20)),
        created(2, at: 30), ready(2, at: 40),
    ]

    /// Version 2 rolling out over version 1, at its first step (1 %) since t0 + 100.
    static let rolling: [SearchIndexEvent] = twoVersions + [
        .rolloutStarted(canary: 2, stable: 1, plan: plan, by: "key:admin", at: indexAt(100)),
        .trafficShifted(weights: [IndexWeight(version: 2, percent: 1), IndexWeight(version: 1, percent: 99)], step: 1,
                        by: "key:admin", at: indexAt(100)),
    ]

    static func evaluation(recall: Double, mrr: Double = 0.8, at: TimeInterval = 200) -> IndexEvaluation {
        IndexEvaluation(queries: 500, k: 10, recallAtK: recall, mrr: mrr, by: "eval-job", at: indexAt(at))
    }

    static let healthy = VersionFigures(searches: 1_000, errors: 2, p99LatencyMs: 40, feedback: 100, positiveFeedback: 80)
}
