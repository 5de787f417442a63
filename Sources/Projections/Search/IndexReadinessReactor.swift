import Domain
import EventStore
import Foundation
import Logging
import ServiceLifecycle

/// Passes building versions through their readiness gate (docs/indexes.md, "Readiness")
/// from the facts, with no call from a client: every `interval` it takes the versions whose
/// tasks all succeeded in this process's search read model, counts the serving processes
/// seen lately and those whose read model applied the version's last success, and when
/// the decider's gate passes on the read model's state of the index, records
/// `IndexVersionReady` through the index's decider. Every serving process runs one; the
/// first to decide records it, and the others find the version ready.
public struct IndexReadinessReactor: Service {
    let store: EventStore
    let search: SearchReadModel
    let processes: ServingProcesses
    let clock: WallClock
    let interval: Duration
    let logger: Logger

    public init(store: EventStore, search: SearchReadModel, clock: WallClock, interval: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.search = search
        self.processes = ServingProcesses(store: store, logger: logger)
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval) { await runOnce() }
    }

    /// One round over the versions whose tasks all succeeded. A failure is logged and the
    /// version is weighed again next round.
    public func runOnce() async {
        let candidates = search.builtVersions()
        guard !candidates.isEmpty else { return }
        let now = clock.now()
        let live: [ServingProcesses.Row]
        do {
            live = try await processes.live(within: ServingProcessHeartbeat.staleAfter)
        } catch {
            logger.warning("readiness could not read the serving processes; retrying", metadata: ["error": "\(String(reflecting: error))"])
            return
        }
        for candidate in candidates {
            await weigh(candidate, live: live, now: now)
        }
    }

    private func weigh(_ candidate: BuiltVersion, live: [ServingProcesses.Row], now: Date) async {
        let key = candidate.key
        let loaded = live.filter { process in candidate.build.lastSuccess.map { process.checkpoint >= $0 } ?? true }
        let readiness = IndexReadiness(tasks: candidate.build.tasks, tasksSucceeded: candidate.build.tasksSucceeded,
                                       chunks: candidate.build.chunks, vectors: candidate.vectors,
                                       servingProcesses: live.count, processesLoaded: loaded.count)
        let command = SearchIndexCommand.markReady(version: key.version, readiness: readiness, now: now)
        guard let state = search.index(tenant: key.tenant, name: key.index) else { return }
        do {
            // The gate on the read model's state first: no write while it does not pass.
            guard try !SearchIndex.decide(command, state).isEmpty else { return }
            let outcome = try await CommandHandler(store: store, decider: SearchIndex.self).handle(
                command, tenant: key.tenant, stream: SearchIndex.stream(key.index),
                metadata: EventMetadata(actor: "eventloom:readiness"))
            if !outcome.events.isEmpty {
                logger.notice("index version ready", metadata: [
                    "tenant": "\(key.tenant)", "index": "\(key.index)", "version": "\(key.version)",
                    "tasks": "\(readiness.tasks)", "vectors": "\(readiness.vectors)", "serving_processes": "\(live.count)",
                ])
            }
        } catch SearchIndexError.notReady(_, let reason) {
            logger.debug("index version not ready yet", metadata: [
                "tenant": "\(key.tenant)", "index": "\(key.index)", "version": "\(key.version)", "reason": "\(reason)",
            ])
        } catch {
            logger.warning("readiness could not record a version ready; retrying", metadata: [
                "tenant": "\(key.tenant)", "index": "\(key.index)", "version": "\(key.version)",
                "error": "\(String(reflecting: error))",
            ])
        }
    }
}
