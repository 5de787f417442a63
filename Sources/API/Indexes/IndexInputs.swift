import Domain
import Foundation

/// The body of `POST /v1/indexes/{name}/versions`.
struct CreateVersionInput: Decodable {
    let embeddingModel: String
    let dimension: Int
    let metric: String
    let parameters: ParametersInput?
    let chunker: ChunkerInput?
    /// The document refs the version covers; with `migrateFrom` and none given, that version's.
    let sources: [SourceInput]?
    /// The version whose sources the new one re-embeds with its own model.
    let migrateFrom: Int?

    struct ParametersInput: Decodable {
        let m: Int?
        let efConstruction: Int?
        let efSearch: Int?
        let seed: Int?
    }

    struct ChunkerInput: Decodable {
        let strategy: String?
        let size: Int?
        let overlap: Int?
    }

    struct SourceInput: Decodable {
        let documentId: String
        let ref: String
    }

    /// The version's spec. - Throws: ``APIError`` 400 for an unknown metric.
    func spec() throws -> IndexVersionSpec {
        guard let metric = VectorMetric(rawValue: metric) else {
            throw APIError.invalid("metric", "must be one of \(VectorMetric.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let defaults = HNSWParameters()
        let parameters = HNSWParameters(m: self.parameters?.m ?? defaults.m,
                                        efConstruction: self.parameters?.efConstruction ?? defaults.efConstruction,
                                        efSearch: self.parameters?.efSearch ?? defaults.efSearch,
                                        seed: self.parameters?.seed ?? defaults.seed)
        let chunking = ChunkerConfiguration()
        let chunker = ChunkerConfiguration(strategy: self.chunker?.strategy ?? chunking.strategy,
                                           size: self.chunker?.size ?? chunking.size,
                                           overlap: self.chunker?.overlap ?? chunking.overlap)
        return IndexVersionSpec(embeddingModel: embeddingModel, dimension: dimension, metric: metric, parameters: parameters,
                                chunker: chunker, sources: (sources ?? []).map { IndexSource(documentID: $0.documentId, ref: $0.ref) })
    }
}

/// The body of `POST /v1/indexes/{name}/activate`.
struct ActivateInput: Decodable {
    let version: Int
}

/// The body of `POST /v1/indexes/{name}/traffic`.
struct TrafficInput: Decodable {
    let weights: [WeightInput]

    struct WeightInput: Decodable {
        let version: Int
        let percent: Int
    }
}

/// The body of `POST /v1/indexes/{name}/rollout`.
struct RolloutInput: Decodable {
    let canary: Int
    let steps: [Int]?
    let pauseSeconds: Int?
    let bounds: BoundsInput?
    let pinnedKeys: [String]?

    /// Bounds sent replace the defaults whole: a bound not named is not checked.
    struct BoundsInput: Decodable {
        let minSearches: Int?
        let maxErrorRateIncrease: Double?
        let maxLatencyRatio: Double?
        let minFeedbackRatio: Double?
        let maxRecallDrop: Double?
        let maxMrrDrop: Double?
    }

    func plan() -> RolloutPlan {
        let defaults = RolloutPlan()
        let bounds = self.bounds.map {
            RolloutBounds(minSearches: $0.minSearches ?? defaults.bounds.minSearches, maxErrorRateIncrease: $0.maxErrorRateIncrease,
                          maxLatencyRatio: $0.maxLatencyRatio, minFeedbackRatio: $0.minFeedbackRatio,
                          maxRecallDrop: $0.maxRecallDrop, maxMRRDrop: $0.maxMrrDrop)
        } ?? defaults.bounds
        return RolloutPlan(steps: steps ?? defaults.steps, pause: pauseSeconds.map(TimeInterval.init) ?? defaults.pause,
                           bounds: bounds, pinnedKeys: pinnedKeys ?? [])
    }
}

/// The body of `POST /v1/indexes/{name}/rollout/abort` and of a deprecation.
struct ReasonInput: Decodable {
    let reason: String
}

/// The body of `POST /v1/indexes/{name}/versions/{version}/evaluations`.
struct EvaluationInput: Decodable {
    let queries: Int
    let k: Int
    let recallAtK: Double
    let mrr: Double
}

enum IndexInput {
    /// The index named by the path. - Throws: ``APIError`` 400 for a name no index can have.
    static func name(_ context: AppRequestContext) throws -> String {
        let name = try PathInput(context: context).string("name")
        try validate(name: name)
        return name
    }

    /// - Throws: ``APIError`` 400 for a name no index can have.
    static func validate(name: String, field: String = "name") throws {
        do {
            try SearchIndex.validateName(name)
        } catch SearchIndexError.invalid(_, let reason) {
            throw APIError.invalid(field, reason)
        }
    }

    /// The version number in the path. - Throws: ``APIError`` 400 unless a positive integer.
    static func version(_ context: AppRequestContext) throws -> Int {
        let text = try PathInput(context: context).string("version")
        guard let version = Int(text), (1...SearchIndex.maximumVersions).contains(version) else {
            throw APIError.invalid("version", "must be a version number in 1...\(SearchIndex.maximumVersions)")
        }
        return version
    }
}
