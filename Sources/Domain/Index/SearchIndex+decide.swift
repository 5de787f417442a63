import Foundation

extension SearchIndex {
    public static func decide(_ command: SearchIndexCommand, _ state: SearchIndexState) throws -> [SearchIndexEvent] {
        switch command {
        case .createVersion(let index, let spec, let from, let by, let now):
            try createVersion(index: index, spec: spec, migratingFrom: from, by: by, now: now, state: state)
        case .markReady(let version, let readiness, let now): try markReady(version, readiness, now: now, state: state)
        case .activate(let version, let by, let now): try activate(version, by: by, now: now, state: state)
        case .shiftTraffic(let weights, let by, let now): try shiftTraffic(weights, by: by, now: now, state: state)
        case .startRollout(let canary, let plan, let by, let now):
            try startRollout(canary: canary, plan: plan, by: by, now: now, state: state)
        case .analyze(let canary, let stable, let now): analyze(canary: canary, stable: stable, now: now, state: state)
        case .promote(let by, let now): try promote(by: by, now: now, state: state)
        case .pause(let by, let now): try pause(by: by, now: now, state: state)
        case .resume(let by, let now): try resume(by: by, now: now, state: state)
        case .abort(let reason, let by, let now): try abort(reason: reason, by: by, now: now, state: state)
        case .recordEvaluation(let version, let evaluation): try recordEvaluation(version, evaluation, state: state)
        case .deprecate(let version, let reason, let now): try deprecate(version, reason: reason, now: now, state: state)
        case .retire(let version, let by, let now): try retire(version, by: by, now: now, state: state)
        }
    }

    private static func createVersion(index: String, spec: IndexVersionSpec, migratingFrom: Int?, by: String, now: Date,
                                      state: SearchIndexState) throws -> [SearchIndexEvent] {
        try validateName(index)
        try validateText(by, field: "by")
        guard state.versions.count < maximumVersions else { throw SearchIndexError.tooManyVersions(limit: maximumVersions) }
        var spec = spec
        if let migratingFrom {
            let source = try version(migratingFrom, in: state)
            if spec.sources.isEmpty { spec.sources = source.spec.sources }
        }
        try validate(spec)
        let number = (state.versions.keys.max() ?? 0) + 1
        return [.versionCreated(index: state.name ?? index, version: number, spec: spec, migratedFrom: migratingFrom,
                                by: by, at: now)]
    }

    /// The gate: every ingestion task succeeded, the vectors counted equal the chunks, and
    /// every serving process loaded the version.
    private static func markReady(_ number: Int, _ readiness: IndexReadiness, now: Date,
                                  state: SearchIndexState) throws -> [SearchIndexEvent] {
        let version = try version(number, in: state)
        switch version.status {
        case .ready: return []
        case .deprecated, .retired: throw SearchIndexError.wrongStatus(version: number, status: version.status)
        case .building: break
        }
        guard readiness.tasks > 0 else { throw SearchIndexError.notReady(version: number, reason: "it has no ingestion task") }
        guard readiness.tasksSucceeded == readiness.tasks else {
            throw SearchIndexError.notReady(
                version: number, reason: "\(readiness.tasksSucceeded) of \(readiness.tasks) ingestion tasks succeeded")
        }
        guard readiness.vectors == readiness.chunks else {
            throw SearchIndexError.notReady(version: number, reason: "\(readiness.vectors) vectors for \(readiness.chunks) chunks")
        }
        guard readiness.loaded else {
            throw SearchIndexError.notReady(version: number, reason: readiness.servingProcesses == 0
                ? "no serving process runs"
                : "\(readiness.processesLoaded) of \(readiness.servingProcesses) serving processes have loaded it")
        }
        return [.versionReady(version: number, readiness: readiness, at: now)]
    }

    private static func activate(_ number: Int, by: String, now: Date, state: SearchIndexState) throws -> [SearchIndexEvent] {
        try validateText(by, field: "by")
        try requireReady(number, state: state)
        if let rollout = state.rollout { throw SearchIndexError.rolloutRunning(canary: rollout.canary) }
        if state.weights == [IndexWeight(version: number, percent: 100)] { return [] }
        return [.versionActivated(version: number, previous: state.stable, by: by, at: now)]
    }

    private static func shiftTraffic(_ weights: [IndexWeight], by: String, now: Date,
                                     state: SearchIndexState) throws -> [SearchIndexEvent] {
        try validateText(by, field: "by")
        let split = try validate(weights)
        guard state.isKnown else { throw SearchIndexError.unknownIndex }
        if let rollout = state.rollout { throw SearchIndexError.rolloutRunning(canary: rollout.canary) }
        for weight in split { try requireReady(weight.version, state: state) }
        if split == state.weights { return [] }
        return [.trafficShifted(weights: split, step: nil, by: by, at: now)]
    }

    private static func deprecate(_ number: Int, reason: String, now: Date,
                                  state: SearchIndexState) throws -> [SearchIndexEvent] {
        try validateText(reason, field: "reason")
        let version = try version(number, in: state)
        switch version.status {
        case .deprecated: return []
        case .retired: throw SearchIndexError.wrongStatus(version: number, status: .retired)
        case .building, .ready: break
        }
        guard !state.serving.contains(number) else { throw SearchIndexError.serving(version: number) }
        return [.versionDeprecated(version: number, reason: reason, at: now)]
    }

    private static func retire(_ number: Int, by: String, now: Date, state: SearchIndexState) throws -> [SearchIndexEvent] {
        try validateText(by, field: "by")
        let version = try version(number, in: state)
        switch version.status {
        case .retired: return []
        case .building, .ready: throw SearchIndexError.wrongStatus(version: number, status: version.status)
        case .deprecated: return [.versionRetired(version: number, by: by, at: now)]
        }
    }

    static func version(_ number: Int, in state: SearchIndexState) throws -> IndexVersion {
        guard state.isKnown else { throw SearchIndexError.unknownIndex }
        guard let version = state.versions[number] else { throw SearchIndexError.unknownVersion(number) }
        return version
    }

    static func requireReady(_ number: Int, state: SearchIndexState) throws {
        let version = try version(number, in: state)
        guard version.status == .ready else { throw SearchIndexError.wrongStatus(version: number, status: version.status) }
    }
}
