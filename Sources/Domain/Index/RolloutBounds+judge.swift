extension RolloutBounds {
    /// The bounds the canary's figures break against the stable version's, each as a
    /// sentence with the figures (empty when none). Error, latency and feedback are judged
    /// only once the canary saw ``minSearches`` searches; recall and MRR whenever both
    /// versions have an evaluation.
    public func failures(canary: VersionFigures, stable: VersionFigures,
                         canaryEvaluation: IndexEvaluation?, stableEvaluation: IndexEvaluation?) -> [String] {
        traffic(canary: canary, stable: stable) + quality(canary: canaryEvaluation, stable: stableEvaluation)
    }

    private func traffic(canary: VersionFigures, stable: VersionFigures) -> [String] {
        guard canary.searches >= max(minSearches, 1) else { return [] }
        var failed: [String] = []
        if let bound = maxErrorRateIncrease, canary.errorRate - stable.errorRate > bound {
            failed.append("error rate \(Self.format(canary.errorRate)) against \(Self.format(stable.errorRate)): more than \(Self.format(bound)) above")
        }
        if let bound = maxLatencyRatio, stable.p99LatencyMs > 0, canary.p99LatencyMs / stable.p99LatencyMs > bound {
            failed.append("p99 latency \(Self.format(canary.p99LatencyMs)) ms against \(Self.format(stable.p99LatencyMs)) ms: more than \(Self.format(bound))×")
        }
        if let bound = minFeedbackRatio, let ours = canary.positiveRate, let theirs = stable.positiveRate, theirs > 0,
           ours / theirs < bound {
            failed.append("positive feedback \(Self.format(ours)) against \(Self.format(theirs)): less than \(Self.format(bound))×")
        }
        return failed
    }

    private func quality(canary: IndexEvaluation?, stable: IndexEvaluation?) -> [String] {
        guard let canary, let stable else { return [] }
        var failed: [String] = []
        if let bound = maxRecallDrop, stable.recallAtK - canary.recallAtK > bound {
            failed.append("recall@\(canary.k) \(Self.format(canary.recallAtK)) against \(Self.format(stable.recallAtK)): more than \(Self.format(bound)) below")
        }
        if let bound = maxMRRDrop, stable.mrr - canary.mrr > bound {
            failed.append("MRR \(Self.format(canary.mrr)) against \(Self.format(stable.mrr)): more than \(Self.format(bound)) below")
        }
        return failed
    }

    private static func format(_ value: Double) -> String {
        let rounded = (value * 10_000).rounded() / 10_000
        return "\(rounded)"
    }
}
