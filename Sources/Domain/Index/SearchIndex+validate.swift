import Foundation

extension SearchIndex {
    /// An index name: 1–100 ASCII letters, digits, `_`, `.` or `-`, starting with a letter
    /// or digit (it is part of a stream id and of a URL path).
    public static func validateName(_ name: String) throws {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= maximumNameLength, isAlphanumeric(first),
              bytes.allSatisfy({ isAlphanumeric($0) || "_.-".utf8.contains($0) }) else {
            throw SearchIndexError.invalid(
                field: "index", reason: "must be 1-\(maximumNameLength) ASCII letters, digits, '_', '.' or '-', starting with a letter or digit")
        }
    }

    static func validate(_ spec: IndexVersionSpec) throws {
        try validateText(spec.embeddingModel, field: "embedding_model")
        guard (1...maximumDimension).contains(spec.dimension) else {
            throw SearchIndexError.invalid(field: "dimension", reason: "must be in 1...\(maximumDimension)")
        }
        try validate(spec.parameters)
        try validate(spec.chunker)
        guard (1...maximumSources).contains(spec.sources.count) else {
            throw SearchIndexError.invalid(field: "sources", reason: "must name 1-\(maximumSources) document refs")
        }
        // A version searches one content per document (the one its ref names last): a
        // document under two refs would be two contents competing for one place.
        guard Set(spec.sources.map(\.documentID)).count == spec.sources.count else {
            throw SearchIndexError.invalid(field: "sources", reason: "must name each document once")
        }
        for source in spec.sources {
            do {
                try Document.validateIdentifier(source.documentID, field: "sources.document_id")
            } catch DocumentError.invalid(let field, let reason) {
                throw SearchIndexError.invalid(field: field, reason: reason)
            }
            guard !source.ref.isEmpty, source.ref.utf8.count <= 255, !source.ref.contains(where: \.isWhitespace) else {
                throw SearchIndexError.invalid(field: "sources.ref", reason: "must be a branch, tag or commit id")
            }
        }
    }

    static func validate(_ parameters: HNSWParameters) throws {
        guard (2...128).contains(parameters.m) else { throw SearchIndexError.invalid(field: "parameters.m", reason: "must be in 2...128") }
        guard (parameters.m...4_096).contains(parameters.efConstruction) else {
            throw SearchIndexError.invalid(field: "parameters.ef_construction", reason: "must be in m...4096")
        }
        guard (1...10_000).contains(parameters.efSearch) else {
            throw SearchIndexError.invalid(field: "parameters.ef_search", reason: "must be in 1...10000")
        }
        guard parameters.seed >= 0 else { throw SearchIndexError.invalid(field: "parameters.seed", reason: "must not be negative") }
    }

    static func validate(_ chunker: ChunkerConfiguration) throws {
        try validateText(chunker.strategy, field: "chunker.strategy", maximum: 64)
        guard (1...1_000_000).contains(chunker.size) else {
            throw SearchIndexError.invalid(field: "chunker.size", reason: "must be in 1...1000000")
        }
        guard (0..<chunker.size).contains(chunker.overlap) else {
            throw SearchIndexError.invalid(field: "chunker.overlap", reason: "must be in 0..<size")
        }
    }

    /// A split as routed: positive weights only, newest version first, summing to 100.
    static func validate(_ weights: [IndexWeight]) throws -> [IndexWeight] {
        guard Set(weights.map(\.version)).count == weights.count else {
            throw SearchIndexError.invalid(field: "weights", reason: "must name each version once")
        }
        guard weights.allSatisfy({ (0...100).contains($0.percent) }) else {
            throw SearchIndexError.invalid(field: "weights", reason: "each must be in 0...100")
        }
        let total = weights.reduce(0) { $0 + $1.percent }
        guard total == 100 else { throw SearchIndexError.invalid(field: "weights", reason: "must sum to 100, not \(total)") }
        return weights.filter { $0.percent > 0 }.sorted { $0.version > $1.version }
    }

    static func validate(_ plan: RolloutPlan) throws {
        let steps = plan.steps
        guard (1...maximumSteps).contains(steps.count), steps.last == 100,
              steps.allSatisfy({ (1...100).contains($0) }), zip(steps, steps.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw SearchIndexError.invalid(
                field: "steps", reason: "must be 1-\(maximumSteps) increasing percentages in 1...100, the last 100")
        }
        guard plan.pause >= 0, plan.pause <= maximumPause else {
            throw SearchIndexError.invalid(field: "pause_seconds", reason: "must be in 0...\(Int(maximumPause))")
        }
        guard plan.pinnedKeys.count <= maximumPinnedKeys else {
            throw SearchIndexError.invalid(field: "pinned_keys", reason: "must be at most \(maximumPinnedKeys)")
        }
        for key in plan.pinnedKeys { try validateText(key, field: "pinned_keys") }
        try validate(plan.bounds)
    }

    static func validate(_ bounds: RolloutBounds) throws {
        guard (0...1_000_000_000).contains(bounds.minSearches) else {
            throw SearchIndexError.invalid(field: "bounds.min_searches", reason: "must be in 0...1000000000")
        }
        let limits: [(String, Double?)] = [
            ("max_error_rate_increase", bounds.maxErrorRateIncrease), ("max_latency_ratio", bounds.maxLatencyRatio),
            ("min_feedback_ratio", bounds.minFeedbackRatio), ("max_recall_drop", bounds.maxRecallDrop),
            ("max_mrr_drop", bounds.maxMRRDrop),
        ]
        for (field, value) in limits {
            if let value, !(value.isFinite && value >= 0 && value <= 1_000) {
                throw SearchIndexError.invalid(field: "bounds.\(field)", reason: "must be a number in 0...1000")
            }
        }
    }

    static func validate(_ evaluation: IndexEvaluation) throws {
        try validateText(evaluation.by, field: "by")
        guard (1...1_000_000_000).contains(evaluation.queries) else {
            throw SearchIndexError.invalid(field: "queries", reason: "must be in 1...1000000000")
        }
        guard (1...1_000).contains(evaluation.k) else { throw SearchIndexError.invalid(field: "k", reason: "must be in 1...1000") }
        for (field, value) in [("recall_at_k", evaluation.recallAtK), ("mrr", evaluation.mrr)] {
            guard value.isFinite, (0...1).contains(value) else {
                throw SearchIndexError.invalid(field: field, reason: "must be a number in 0...1")
            }
        }
    }

    static func validateText(_ text: String, field: String, maximum: Int = maximumTextLength) throws {
        if let reason = TextRule.problem(with: text, maximum: maximum) { throw SearchIndexError.invalid(field: field, reason: reason) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }
}
