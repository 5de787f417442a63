import EventStore
import Logging
import Projections
import ServiceLifecycle
import Synchronization

/// What each read model holds, as of at most ``pollInterval`` ago: its checkpoint, version
/// and last rebuild. Rows change only with one of them, so a page computed under a token
/// stays exact while the token stays the same (``PageCache``).
final class ReadModelVersions: Service, Sendable {
    static let pollInterval: Duration = .milliseconds(20)

    private let catalog: ProjectionCatalog
    private let logger: Logger
    /// The tokens of the last successful poll, and when it finished.
    private let tokens = Mutex<(polled: ContinuousClock.Instant, tokens: [String: String])>((.now, [:]))

    init(catalog: ProjectionCatalog, logger: Logger) {
        self.catalog = catalog
        self.logger = logger
    }

    /// The read model's current token; nil when unknown: not polled yet, failing, or not
    /// polled for ten intervals (a stuck poll must not keep an old token alive).
    func token(_ name: String) -> String? {
        let (polled, tokens) = tokens.withLock { $0 }
        return polled + Self.pollInterval * 10 >= .now ? tokens[name] : nil
    }

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.poll()
                try? await Task.sleep(for: Self.pollInterval)
            }
        }
    }

    private func poll() async {
        do {
            let statuses = try await catalog.all()
            let current = Dictionary(uniqueKeysWithValues: statuses.map { status in
                (status.name, "\(status.cursor)/\(status.version)/\(status.lastRebuiltAtMicros ?? 0)/\(status.state.rawValue)")
            })
            tokens.withLock { $0 = (.now, current) }
        } catch {
            // Unknown versions: every query goes to the database until the poll succeeds.
            tokens.withLock { $0 = (.now, [:]) }
            logger.debug("read model versions unavailable", metadata: ["error": "\(error)"])
        }
    }
}
