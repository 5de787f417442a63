import Foundation
import Schemas
import SwiftProtobuf

extension SearchIndexEvent: EventFamily {
    /// Every type an index writes, each with its schema (one place for both).
    public enum Kind: String, EventKind {
        case versionCreated = "IndexVersionCreated"
        case versionReady = "IndexVersionReady"
        case versionActivated = "IndexVersionActivated"
        case trafficShifted = "IndexTrafficShifted"
        case rolloutStarted = "IndexRolloutStarted"
        case rolloutPaused = "IndexRolloutPaused"
        case rolloutResumed = "IndexRolloutResumed"
        case rolloutCompleted = "IndexRolloutCompleted"
        case rolledBack = "IndexRolloutRolledBack"
        case evaluationRecorded = "IndexEvaluationRecorded"
        case versionDeprecated = "IndexVersionDeprecated"
        case versionRetired = "IndexVersionRetired"

        public var message: any SwiftProtobuf.Message.Type {
            switch self {
            case .versionCreated: Eventloom_V1_IndexVersionCreated.self
            case .versionReady: Eventloom_V1_IndexVersionReady.self
            case .versionActivated: Eventloom_V1_IndexVersionActivated.self
            case .trafficShifted: Eventloom_V1_IndexTrafficShifted.self
            case .rolloutStarted: Eventloom_V1_IndexRolloutStarted.self
            case .rolloutPaused: Eventloom_V1_IndexRolloutPaused.self
            case .rolloutResumed: Eventloom_V1_IndexRolloutResumed.self
            case .rolloutCompleted: Eventloom_V1_IndexRolloutCompleted.self
            case .rolledBack: Eventloom_V1_IndexRolloutRolledBack.self
            case .evaluationRecorded: Eventloom_V1_IndexEvaluationRecorded.self
            case .versionDeprecated: Eventloom_V1_IndexVersionDeprecated.self
            case .versionRetired: Eventloom_V1_IndexVersionRetired.self
            }
        }

        /// Model names, parameters, figures and the ids of the operators who acted: nothing
        /// personal of a data subject (pinned routing keys are opaque ids chosen by the platform).
        public var personalFields: PersonalFields { .none }
    }

    public var kind: Kind {
        switch self {
        case .versionCreated: .versionCreated
        case .versionReady: .versionReady
        case .versionActivated: .versionActivated
        case .trafficShifted: .trafficShifted
        case .rolloutStarted: .rolloutStarted
        case .rolloutPaused: .rolloutPaused
        case .rolloutResumed: .rolloutResumed
        case .rolloutCompleted: .rolloutCompleted
        case .rolledBack: .rolledBack
        case .evaluationRecorded: .evaluationRecorded
        case .versionDeprecated: .versionDeprecated
        case .versionRetired: .versionRetired
        }
    }

    public func jsonData() throws -> String {
        switch self {
        case .versionCreated(let index, let version, let spec, let from, let by, let at):
            try kind.encode(IndexCodec.created(index: index, version: version, spec: spec, from: from, by: by, at: at))
        case .versionReady(let version, let readiness, let at):
            try kind.encode(Eventloom_V1_IndexVersionReady.with {
                $0.version = Int32(version)
                $0.tasks = Int64(readiness.tasks)
                $0.chunks = Int64(readiness.chunks)
                $0.vectors = Int64(readiness.vectors)
                $0.servingProcesses = Int32(readiness.servingProcesses)
                $0.processesLoaded = Int32(readiness.processesLoaded)
                $0.readyAt = Google_Protobuf_Timestamp(date: at)
            })
        case .versionActivated(let version, let previous, let by, let at):
            try kind.encode(Eventloom_V1_IndexVersionActivated.with {
                $0.version = Int32(version)
                $0.previous = Int32(previous ?? 0)
                $0.by = by
                $0.activatedAt = Google_Protobuf_Timestamp(date: at)
            })
        case .trafficShifted(let weights, let step, let by, let at):
            try kind.encode(Eventloom_V1_IndexTrafficShifted.with {
                $0.weights = weights.map(IndexCodec.message)
                $0.step = Int32(step ?? 0)
                $0.by = by
                $0.shiftedAt = Google_Protobuf_Timestamp(date: at)
            })
        case .rolloutStarted(let canary, let stable, let plan, let by, let at):
            try kind.encode(IndexCodec.started(canary: canary, stable: stable, plan: plan, by: by, at: at))
        case .rolloutPaused(let canary, let by, let at):
            try kind.encode(Eventloom_V1_IndexRolloutPaused.with {
                $0.canary = Int32(canary)
                $0.by = by
                $0.pausedAt = Google_Protobuf_Timestamp(date: at)
            })
        case .rolloutResumed(let canary, let by, let at):
            try kind.encode(Eventloom_V1_IndexRolloutResumed.with {
                $0.canary = Int32(canary)
                $0.by = by
                $0.resumedAt = Google_Protobuf_Timestamp(date: at)
            })
        case .rolloutCompleted(let canary, let previous, let by, let at):
            try kind.encode(Eventloom_V1_IndexRolloutCompleted.with {
                $0.canary = Int32(canary)
                $0.previous = Int32(previous)
                $0.by = by
                $0.completedAt = Google_Protobuf_Timestamp(date: at)
            })
        case .rolledBack(let record): try kind.encode(IndexCodec.message(record))
        case .evaluationRecorded(let version, let evaluation):
            try kind.encode(Eventloom_V1_IndexEvaluationRecorded.with {
                $0.version = Int32(version)
                $0.queries = Int64(evaluation.queries)
                $0.k = Int32(evaluation.k)
                $0.recallAtK = evaluation.recallAtK
                $0.mrr = evaluation.mrr
                $0.by = evaluation.by
                $0.evaluatedAt = Google_Protobuf_Timestamp(date: evaluation.at)
            })
        case .versionDeprecated(let version, let reason, let at):
            try kind.encode(Eventloom_V1_IndexVersionDeprecated.with {
                $0.version = Int32(version)
                $0.reason = reason
                $0.deprecatedAt = Google_Protobuf_Timestamp(date: at)
            })
        case .versionRetired(let version, let by, let at):
            try kind.encode(Eventloom_V1_IndexVersionRetired.with {
                $0.version = Int32(version)
                $0.by = by
                $0.retiredAt = Google_Protobuf_Timestamp(date: at)
            })
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        let kind = try Kind.named(type, schemaVersion: schemaVersion)
        switch kind {
        case .versionCreated: self = try IndexCodec.created(kind.decode(Eventloom_V1_IndexVersionCreated.self, from: json), type: type)
        case .versionReady:
            let m = try kind.decode(Eventloom_V1_IndexVersionReady.self, from: json)
            let readiness = IndexReadiness(tasks: Int(m.tasks), tasksSucceeded: Int(m.tasks), chunks: Int(m.chunks),
                                           vectors: Int(m.vectors), servingProcesses: Int(m.servingProcesses),
                                           processesLoaded: Int(m.processesLoaded))
            self = .versionReady(version: Int(m.version), readiness: readiness, at: m.readyAt.date)
        case .versionActivated:
            let m = try kind.decode(Eventloom_V1_IndexVersionActivated.self, from: json)
            self = .versionActivated(version: Int(m.version), previous: m.previous == 0 ? nil : Int(m.previous), by: m.by,
                                     at: m.activatedAt.date)
        case .trafficShifted:
            let m = try kind.decode(Eventloom_V1_IndexTrafficShifted.self, from: json)
            self = .trafficShifted(weights: m.weights.map(IndexCodec.weight), step: m.step == 0 ? nil : Int(m.step), by: m.by,
                                   at: m.shiftedAt.date)
        case .rolloutStarted: self = IndexCodec.started(try kind.decode(Eventloom_V1_IndexRolloutStarted.self, from: json))
        case .rolloutPaused:
            let m = try kind.decode(Eventloom_V1_IndexRolloutPaused.self, from: json)
            self = .rolloutPaused(canary: Int(m.canary), by: m.by, at: m.pausedAt.date)
        case .rolloutResumed:
            let m = try kind.decode(Eventloom_V1_IndexRolloutResumed.self, from: json)
            self = .rolloutResumed(canary: Int(m.canary), by: m.by, at: m.resumedAt.date)
        case .rolloutCompleted:
            let m = try kind.decode(Eventloom_V1_IndexRolloutCompleted.self, from: json)
            self = .rolloutCompleted(canary: Int(m.canary), previous: Int(m.previous), by: m.by, at: m.completedAt.date)
        case .rolledBack: self = .rolledBack(try IndexCodec.record(kind.decode(Eventloom_V1_IndexRolloutRolledBack.self, from: json), type: type))
        case .evaluationRecorded:
            let m = try kind.decode(Eventloom_V1_IndexEvaluationRecorded.self, from: json)
            self = .evaluationRecorded(version: Int(m.version), IndexEvaluation(
                queries: Int(m.queries), k: Int(m.k), recallAtK: m.recallAtK, mrr: m.mrr, by: m.by, at: m.evaluatedAt.date))
        case .versionDeprecated:
            let m = try kind.decode(Eventloom_V1_IndexVersionDeprecated.self, from: json)
            self = .versionDeprecated(version: Int(m.version), reason: m.reason, at: m.deprecatedAt.date)
        case .versionRetired:
            let m = try kind.decode(Eventloom_V1_IndexVersionRetired.self, from: json)
            self = .versionRetired(version: Int(m.version), by: m.by, at: m.retiredAt.date)
        }
    }
}
