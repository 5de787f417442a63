import Foundation
import Schemas
import SwiftProtobuf

/// The index events' messages to and from their domain values.
enum IndexCodec {
    static func created(index: String, version: Int, spec: IndexVersionSpec, from: Int?, by: String,
                        at: Date) -> Eventloom_V1_IndexVersionCreated {
        .with {
            $0.index = index
            $0.version = Int32(version)
            $0.embeddingModel = spec.embeddingModel
            $0.dimension = Int32(spec.dimension)
            $0.metric = spec.metric.rawValue
            $0.parameters = .with { p in
                p.m = Int32(spec.parameters.m)
                p.efConstruction = Int32(spec.parameters.efConstruction)
                p.efSearch = Int32(spec.parameters.efSearch)
                p.seed = Int64(spec.parameters.seed)
            }
            $0.chunker = .with { c in
                c.strategy = spec.chunker.strategy
                c.size = Int32(spec.chunker.size)
                c.overlap = Int32(spec.chunker.overlap)
            }
            $0.sources = spec.sources.map { source in .with { $0.documentID = source.documentID; $0.ref = source.ref } }
            $0.migratedFrom = Int32(from ?? 0)
            $0.createdBy = by
            $0.createdAt = Google_Protobuf_Timestamp(date: at)
        }
    }

    static func created(_ m: Eventloom_V1_IndexVersionCreated, type: String) throws -> SearchIndexEvent {
        guard let metric = VectorMetric(rawValue: m.metric) else {
            throw EventCodingError.invalidPayload(type: type, reason: "unknown metric \(m.metric)")
        }
        let parameters = HNSWParameters(m: Int(m.parameters.m), efConstruction: Int(m.parameters.efConstruction),
                                        efSearch: Int(m.parameters.efSearch), seed: Int(m.parameters.seed))
        let chunker = ChunkerConfiguration(strategy: m.chunker.strategy, size: Int(m.chunker.size), overlap: Int(m.chunker.overlap))
        let spec = IndexVersionSpec(embeddingModel: m.embeddingModel, dimension: Int(m.dimension), metric: metric,
                                    parameters: parameters, chunker: chunker,
                                    sources: m.sources.map { IndexSource(documentID: $0.documentID, ref: $0.ref) })
        return .versionCreated(index: m.index, version: Int(m.version), spec: spec,
                               migratedFrom: m.migratedFrom == 0 ? nil : Int(m.migratedFrom), by: m.createdBy,
                               at: m.createdAt.date)
    }

    static func message(_ weight: IndexWeight) -> Eventloom_V1_IndexWeight {
        .with {
            $0.version = Int32(weight.version)
            $0.percent = Int32(weight.percent)
        }
    }

    static func weight(_ m: Eventloom_V1_IndexWeight) -> IndexWeight {
        IndexWeight(version: Int(m.version), percent: Int(m.percent))
    }

    static func started(canary: Int, stable: Int, plan: RolloutPlan, by: String, at: Date) -> Eventloom_V1_IndexRolloutStarted {
        .with {
            $0.canary = Int32(canary)
            $0.stable = Int32(stable)
            $0.steps = plan.steps.map { Int32($0) }
            $0.pauseSeconds = Int64(plan.pause.rounded())
            $0.bounds = message(plan.bounds)
            $0.pinnedKeys = plan.pinnedKeys
            $0.by = by
            $0.startedAt = Google_Protobuf_Timestamp(date: at)
        }
    }

    static func started(_ m: Eventloom_V1_IndexRolloutStarted) -> SearchIndexEvent {
        let plan = RolloutPlan(steps: m.steps.map { Int($0) }, pause: TimeInterval(m.pauseSeconds), bounds: bounds(m.bounds),
                               pinnedKeys: m.pinnedKeys)
        return .rolloutStarted(canary: Int(m.canary), stable: Int(m.stable), plan: plan, by: m.by, at: m.startedAt.date)
    }

    static func message(_ bounds: RolloutBounds) -> Eventloom_V1_RolloutBounds {
        .with {
            $0.minSearches = Int64(bounds.minSearches)
            if let value = bounds.maxErrorRateIncrease { $0.maxErrorRateIncrease = .with { $0.value = value } }
            if let value = bounds.maxLatencyRatio { $0.maxLatencyRatio = .with { $0.value = value } }
            if let value = bounds.minFeedbackRatio { $0.minFeedbackRatio = .with { $0.value = value } }
            if let value = bounds.maxRecallDrop { $0.maxRecallDrop = .with { $0.value = value } }
            if let value = bounds.maxMRRDrop { $0.maxMrrDrop = .with { $0.value = value } }
        }
    }

    static func bounds(_ m: Eventloom_V1_RolloutBounds) -> RolloutBounds {
        RolloutBounds(minSearches: Int(m.minSearches),
                      maxErrorRateIncrease: m.hasMaxErrorRateIncrease ? m.maxErrorRateIncrease.value : nil,
                      maxLatencyRatio: m.hasMaxLatencyRatio ? m.maxLatencyRatio.value : nil,
                      minFeedbackRatio: m.hasMinFeedbackRatio ? m.minFeedbackRatio.value : nil,
                      maxRecallDrop: m.hasMaxRecallDrop ? m.maxRecallDrop.value : nil,
                      maxMRRDrop: m.hasMaxMrrDrop ? m.maxMrrDrop.value : nil)
    }

    static func message(_ record: RollbackRecord) -> Eventloom_V1_IndexRolloutRolledBack {
        .with {
            $0.canary = Int32(record.canary)
            $0.restored = Int32(record.restored)
            $0.trigger = record.trigger.rawValue
            $0.failedBounds = record.failedBounds
            if let figures = record.canaryFigures { $0.canaryFigures = message(figures) }
            if let figures = record.stableFigures { $0.stableFigures = message(figures) }
            $0.reason = record.reason
            $0.by = record.by
            $0.rolledBackAt = Google_Protobuf_Timestamp(date: record.at)
        }
    }

    static func record(_ m: Eventloom_V1_IndexRolloutRolledBack, type: String) throws -> RollbackRecord {
        guard let trigger = RollbackRecord.Trigger(rawValue: m.trigger) else {
            throw EventCodingError.invalidPayload(type: type, reason: "unknown trigger \(m.trigger)")
        }
        return RollbackRecord(canary: Int(m.canary), restored: Int(m.restored), trigger: trigger, failedBounds: m.failedBounds,
                              canaryFigures: m.hasCanaryFigures ? figures(m.canaryFigures) : nil,
                              stableFigures: m.hasStableFigures ? figures(m.stableFigures) : nil,
                              reason: m.reason, by: m.by, at: m.rolledBackAt.date)
    }

    static func message(_ figures: VersionFigures) -> Eventloom_V1_VersionFigures {
        .with {
            $0.searches = Int64(figures.searches)
            $0.errors = Int64(figures.errors)
            $0.p99LatencyMs = figures.p99LatencyMs
            $0.feedback = Int64(figures.feedback)
            $0.positiveFeedback = Int64(figures.positiveFeedback)
        }
    }

    static func figures(_ m: Eventloom_V1_VersionFigures) -> VersionFigures {
        VersionFigures(searches: Int(m.searches), errors: Int(m.errors), p99LatencyMs: m.p99LatencyMs,
                       feedback: Int(m.feedback), positiveFeedback: Int(m.positiveFeedback))
    }
}
