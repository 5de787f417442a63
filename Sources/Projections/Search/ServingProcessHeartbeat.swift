import EventStore
import Foundation
import Logging
import ServiceLifecycle

/// Tells the other processes that this one serves searches, and how far its search read
/// model has applied the log: a row in `search_processes` written every `interval`, removed
/// at graceful shutdown. A process not seen for ``ServingProcessHeartbeat/staleAfter`` is
/// no longer counted (it crashed) and the next beat of any process removes its row.
public struct ServingProcessHeartbeat: Service {
    let search: SearchReadModel
    let processes: ServingProcesses
    let clock: WallClock
    let interval: Duration
    let logger: Logger
    /// This process's id in `search_processes`.
    public let processID: String

    /// How long a process counts after its last beat.
    public static let staleAfter: TimeInterval = 15

    public init(search: SearchReadModel, store: EventStore, clock: WallClock, interval: Duration = .seconds(2), logger: Logger) {
        self.search = search
        self.processes = ServingProcesses(store: store, logger: logger)
        self.clock = clock
        self.interval = interval
        self.logger = logger
        self.processID = UUID().uuidString.lowercased()
    }

    public func run() async throws {
        let startedAt = clock.now()
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await beat(startedAt: startedAt)
                try? await Task.sleep(for: interval)
            }
        }
        do {
            try await processes.remove(processID: processID)
        } catch {
            logger.warning("could not remove this serving process's row; it stops counting after \(Int(Self.staleAfter)) s",
                           metadata: ["process": "\(processID)", "error": "\(String(reflecting: error))"])
        }
    }

    private func beat(startedAt: Date) async {
        let now = clock.now()
        do {
            try await processes.beat(processID: processID, host: ProcessInfo.processInfo.hostName,
                                     pid: Int(ProcessInfo.processInfo.processIdentifier),
                                     checkpoint: search.checkpoint, startedAt: startedAt, now: now,
                                     staleBefore: now.addingTimeInterval(-Self.staleAfter))
        } catch {
            logger.warning("serving process heartbeat failed; retrying", metadata: [
                "process": "\(processID)", "error": "\(String(reflecting: error))",
            ])
        }
    }
}
