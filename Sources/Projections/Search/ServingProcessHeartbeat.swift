import EventStore
import Foundation
import Logging
import ServiceLifecycle

/// Tells the other processes that this one serves searches, and how far its search read
/// model has applied the log: a row in `search_processes` written every `interval`, removed
/// at graceful shutdown. A process not seen for ``ServingProcessHeartbeat/staleAfter`` is
/// no longer counted (it crashed) and the next beat of any process removes its row. Each
/// beat also adds what this process's searches did (its read model's ``SearchTally``) to
/// `search_figures`, and now and then removes figures and feedback older than
/// ``ServingProcessHeartbeat/figuresKept``.
public struct ServingProcessHeartbeat: Service {
    let search: SearchReadModel
    let processes: ServingProcesses
    let figures: SearchFigures
    let clock: WallClock
    let interval: Duration
    let logger: Logger
    /// This process's id in `search_processes`.
    public let processID: String

    /// How long a process counts after its last beat.
    public static let staleAfter: TimeInterval = 15
    /// How long search figures and feedback are kept.
    public static let figuresKept: TimeInterval = 7 * 86_400
    /// The least time between two removals of old figures.
    static let pruneEvery: TimeInterval = 600

    public init(search: SearchReadModel, store: EventStore, clock: WallClock, interval: Duration = .seconds(2), logger: Logger) {
        self.search = search
        self.processes = ServingProcesses(store: store, logger: logger)
        self.figures = SearchFigures(store: store, logger: logger)
        self.clock = clock
        self.interval = interval
        self.logger = logger
        self.processID = UUID().uuidString.lowercased()
    }

    public func run() async throws {
        let startedAt = clock.now()
        await cancelWhenGracefulShutdown {
            var pruned = Date.distantPast
            while !Task.isCancelled {
                await beat(startedAt: startedAt)
                await flushFigures()
                if clock.now().timeIntervalSince(pruned) >= Self.pruneEvery {
                    await pruneFigures()
                    pruned = clock.now()
                }
                try? await Task.sleep(for: interval)
            }
        }
        await flushFigures()
        do {
            try await processes.remove(processID: processID)
        } catch {
            logger.warning("could not remove this serving process's row; it stops counting after \(Int(Self.staleAfter)) s",
                           metadata: ["process": "\(processID)", "error": "\(String(reflecting: error))"])
        }
    }

    private func beat(startedAt: Date) async {
        do {
            try await processes.beat(processID: processID, host: ProcessInfo.processInfo.hostName,
                                     pid: Int(ProcessInfo.processInfo.processIdentifier),
                                     checkpoint: search.checkpoint, startedAt: startedAt, staleAfter: Self.staleAfter)
        } catch {
            logger.warning("serving process heartbeat failed; retrying", metadata: [
                "process": "\(processID)", "error": "\(String(reflecting: error))",
            ])
        }
    }

    /// Adds the tally to `search_figures`; on failure it is put back for the next beat.
    private func flushFigures() async {
        let drained = search.tally.drain()
        guard !drained.isEmpty else { return }
        do {
            try await figures.add(drained, processID: processID)
        } catch {
            search.tally.restore(drained)
            logger.warning("could not write search figures; keeping them for the next beat", metadata: [
                "periods": "\(drained.count)", "dropped_periods": "\(search.tally.droppedPeriods)",
                "error": "\(String(reflecting: error))",
            ])
        }
    }

    private func pruneFigures() async {
        do {
            try await figures.prune(before: clock.now().addingTimeInterval(-Self.figuresKept))
        } catch {
            logger.warning("could not remove old search figures", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
