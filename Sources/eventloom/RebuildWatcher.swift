import EventStore
import Foundation
import Projections

/// Requests a rebuild and draws its progress until the rebuilt tables are live.
struct RebuildWatcher {
    let catalog: ProjectionCatalog
    let name: String

    func requestAndWait() async throws {
        let before = try await registeredStatus()
        guard try await catalog.requestRebuild(name) else { throw ProjectionError.unknownProjection(name) }
        var bar = ProgressBar(label: "rebuilding \(name)")
        while true {
            try await Task.sleep(for: .milliseconds(500))
            guard let status = try await catalog.status(name) else { continue }
            if status.rebuild == nil, status.lastRebuiltAtMicros != before.lastRebuiltAtMicros {
                bar.finish()
                print("\(name): rebuilt and live (version \(status.version), at \(status.cursor))")
                return
            }
            if let rebuild = status.rebuild, rebuild.startedAtMicros != nil {
                bar.update(applied: rebuild.applied, total: rebuild.total ?? 0)
            }
        }
    }

    /// The projection's status once a runner has registered it (the first run creates it).
    private func registeredStatus() async throws -> ProjectionStatus {
        while true {
            if let status = try await catalog.status(name) { return status }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
