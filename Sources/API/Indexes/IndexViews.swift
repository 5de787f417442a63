import Domain
import Foundation
import Hummingbird

/// An index: its versions, the split of its searches, its stable version and rollout.
struct IndexView: ResponseEncodable, PositionedBody {
    let name: String
    let versions: [VersionView]
    /// In routing order (the canary first).
    let weights: [WeightView]
    /// The last version that served 100 %: where a rollback goes.
    let stable: Int?
    let rollout: RolloutView?
    var position: String?

    init(_ state: SearchIndexState) {
        self.name = state.name ?? ""
        self.versions = state.versions.values.sorted { $0.number < $1.number }.map { VersionView($0, state: state) }
        self.weights = state.weights.map(WeightView.init)
        self.stable = state.stable
        self.rollout = state.rollout.map(RolloutView.init)
    }
}

struct WeightView: Encodable {
    let version: Int
    let percent: Int

    init(_ weight: IndexWeight) {
        self.version = weight.version
        self.percent = weight.percent
    }
}

/// One version of an index.
struct VersionView: ResponseEncodable, PositionedBody {
    let version: Int
    let status: String
    /// Its share of the searches now, in percent.
    let percent: Int
    let embeddingModel: String
    let dimension: Int
    let metric: String
    let parameters: ParametersView
    let chunker: ChunkerView
    let sources: [SourceView]
    let migratedFrom: Int?
    let createdAt: String
    let readiness: ReadinessView?
    let evaluation: EvaluationView?
    var position: String?

    init(_ version: IndexVersion, state: SearchIndexState) {
        self.version = version.number
        self.status = version.status.rawValue
        self.percent = state.weights.first { $0.version == version.number }?.percent ?? 0
        self.embeddingModel = version.spec.embeddingModel
        self.dimension = version.spec.dimension
        self.metric = version.spec.metric.rawValue
        self.parameters = ParametersView(m: version.spec.parameters.m, efConstruction: version.spec.parameters.efConstruction,
                                         efSearch: version.spec.parameters.efSearch, seed: version.spec.parameters.seed)
        self.chunker = ChunkerView(strategy: version.spec.chunker.strategy, size: version.spec.chunker.size,
                                   overlap: version.spec.chunker.overlap)
        self.sources = version.spec.sources.map { SourceView(documentId: $0.documentID, ref: $0.ref) }
        self.migratedFrom = version.migratedFrom
        self.createdAt = APITime.text(version.createdAt)
        self.readiness = version.readiness.map {
            ReadinessView(tasks: $0.tasks, chunks: $0.chunks, vectors: $0.vectors, servingProcesses: $0.servingProcesses,
                          processesLoaded: $0.processesLoaded)
        }
        self.evaluation = version.evaluation.map {
            EvaluationView(queries: $0.queries, k: $0.k, recallAtK: $0.recallAtK, mrr: $0.mrr, by: $0.by,
                           evaluatedAt: APITime.text($0.at))
        }
    }

    struct ParametersView: Encodable {
        let m: Int
        let efConstruction: Int
        let efSearch: Int
        let seed: Int
    }

    struct ChunkerView: Encodable {
        let strategy: String
        let size: Int
        let overlap: Int
    }

    struct SourceView: Encodable {
        let documentId: String
        let ref: String
    }

    struct ReadinessView: Encodable {
        let tasks: Int
        let chunks: Int
        let vectors: Int
        let servingProcesses: Int
        let processesLoaded: Int
    }

    struct EvaluationView: Encodable {
        let queries: Int
        let k: Int
        let recallAtK: Double
        let mrr: Double
        let by: String
        let evaluatedAt: String
    }
}

/// A rollout under way.
struct RolloutView: Encodable {
    let canary: Int
    let stable: Int
    let steps: [Int]
    /// The step in force, 1-based.
    let step: Int
    let pauseSeconds: Int
    let stepStartedAt: String
    let paused: Bool
    let pinnedKeys: Int
    let bounds: BoundsView

    init(_ rollout: RunningRollout) {
        self.canary = rollout.canary
        self.stable = rollout.stable
        self.steps = rollout.plan.steps
        self.step = rollout.step
        self.pauseSeconds = Int(rollout.plan.pause)
        self.stepStartedAt = APITime.text(rollout.stepStartedAt)
        self.paused = rollout.paused
        self.pinnedKeys = rollout.plan.pinnedKeys.count
        let bounds = rollout.plan.bounds
        self.bounds = BoundsView(minSearches: bounds.minSearches, maxErrorRateIncrease: bounds.maxErrorRateIncrease,
                                 maxLatencyRatio: bounds.maxLatencyRatio, minFeedbackRatio: bounds.minFeedbackRatio,
                                 maxRecallDrop: bounds.maxRecallDrop, maxMrrDrop: bounds.maxMRRDrop)
    }

    struct BoundsView: Encodable {
        let minSearches: Int
        let maxErrorRateIncrease: Double?
        let maxLatencyRatio: Double?
        let minFeedbackRatio: Double?
        let maxRecallDrop: Double?
        let maxMrrDrop: Double?
    }
}

/// Which version answers searches routed by a key.
struct RoutingView: ResponseEncodable {
    let key: String
    let bucket: Int
    let version: Int
    let pinned: Bool
}
