import Domain
import EventStore
import Foundation
import Logging
import ServiceLifecycle

/// Weighs every running rollout (docs/indexes.md, "Analysis"), with no call from a client:
/// every `interval` it sums the canary's and the stable version's search figures and
/// feedback since the step in force began, across every serving process, and decides
/// `analyze` on the index as the search read model folded it. When that rolls the rollout
/// back (a bound failed) or takes the next step (the pause passed and the bounds hold), it
/// is recorded through the index's decider, the figures in the event. Every serving process
/// runs one; after the first records a decision, the others decide on the new step.
public struct RolloutAnalysisReactor: Service {
    let store: EventStore
    let search: SearchReadModel
    let figures: SearchFigures
    let clock: WallClock
    let interval: Duration
    let logger: Logger

    public init(store: EventStore, search: SearchReadModel, clock: WallClock, interval: Duration = .seconds(5), logger: Logger) {
        self.store = store
        self.search = search
        self.figures = SearchFigures(store: store, logger: logger)
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval) { await runOnce() }
    }

    /// One round over the running rollouts; a failure is logged and weighed again next round.
    public func runOnce() async {
        for index in search.rollingOut() {
            await analyze(index)
        }
    }

    /// Decided on the stream version the read model folded: when the index moved on since
    /// (another process took the step), the figures are of a step no longer in force, and
    /// nothing is recorded; the next round weighs the new step.
    private func analyze(_ index: RollingOut) async {
        let (key, state) = (index.key, index.state)
        guard let rollout = state.rollout else { return }
        let now = clock.now()
        do {
            let canary = try await figures.figures(VersionKey(tenant: key.tenant, index: key.index, version: rollout.canary),
                                                   since: rollout.stepStartedAt)
            let stable = try await figures.figures(VersionKey(tenant: key.tenant, index: key.index, version: rollout.stable),
                                                   since: rollout.stepStartedAt)
            let command = SearchIndexCommand.analyze(canary: canary, stable: stable, now: now)
            // Decided on the read model's state first: no write while there is nothing to record.
            guard try !SearchIndex.decide(command, state).isEmpty else { return }
            let outcome = try await CommandHandler(store: store, decider: SearchIndex.self).handle(
                [command], tenant: key.tenant, stream: SearchIndex.stream(key.index), ifVersion: index.streamVersion,
                metadata: EventMetadata(actor: "eventloom:analysis"))
            for event in outcome.events {
                logger.notice("rollout analysis decided", metadata: [
                    "tenant": "\(key.tenant)", "index": "\(key.index)", "canary": "\(rollout.canary)",
                    "event": "\(event.type)", "canary_searches": "\(canary.searches)", "canary_errors": "\(canary.errors)",
                ])
            }
        } catch let error as EventStoreError where error.code == .wrongExpectedVersion {
            logger.debug("rollout analysis skipped: the index moved on", metadata: ["tenant": "\(key.tenant)", "index": "\(key.index)"])
        } catch {
            logger.warning("rollout analysis failed; retrying", metadata: [
                "tenant": "\(key.tenant)", "index": "\(key.index)", "error": "\(String(reflecting: error))",
            ])
        }
    }
}
