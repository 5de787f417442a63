import EventStore
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Runs an ``ExternalProjection`` in this process (docs/projections.md, "Read models
/// outside PostgreSQL"): loads its saved copy (of the same version) and follows the log
/// from the position that copy covers, hands the model each event after its checkpoint
/// exactly once, saves it every `snapshotInterval` while events arrive (and when the model
/// says a save is due, and at shutdown), and on request rebuilds it side by side from the
/// start of the log while the live one keeps answering, then swaps it in.
public final class ExternalProjectionRunner<P: ExternalProjection>: Service, Sendable {
    let projection: P
    let store: EventStore
    let directory: URL?
    let snapshotInterval: Duration
    let logger: Logger
    private let state: Mutex<Live>
    /// Woken after every batch applied (and at a swap): what consistency waiters wait on.
    let applied = Wakeups()
    private let rebuildAsked = Wakeups()
    /// The most events a rebuild reads at once.
    static var rebuildBatch: Int { 10_000 }

    struct Live {
        var model: P.Model
        /// The log position every event handed to `model` is at or before.
        var checkpoint: Cursor
        /// Where the rebuild under way has read to; nil when none runs.
        var rebuilding: Cursor?
        var rebuildRequested = false
        /// A swap happened: the saved files are of the model replaced.
        var saveDue = false
    }

    /// - Parameters:
    ///   - directory: where the model is saved and loaded from; nil: memory only (folded
    ///     from the whole log on start).
    ///   - snapshotInterval: the least time between two saves while events arrive.
    public init(projection: P, store: EventStore, directory: URL?, snapshotInterval: Duration = .seconds(60),
                logger: Logger) {
        self.projection = projection
        self.store = store
        self.directory = directory
        self.snapshotInterval = snapshotInterval
        self.logger = logger
        self.state = Mutex(Live(model: projection.makeModel(), checkpoint: .start))
    }

    /// The model answering now (a rebuild's swap replaces it).
    public var model: P.Model { state.withLock { $0.model } }
    /// The log position every event the live model applied is at or before.
    public var checkpoint: Cursor { state.withLock { $0.checkpoint } }
    /// Where the rebuild under way has read the log to; nil when none runs.
    public var rebuilding: Cursor? { state.withLock { $0.rebuilding } }

    public func run() async throws {
        if let directory { await load(from: directory) }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.follow() }
                group.addTask { await self.rebuildWhenRequested() }
            }
        }
        if let directory { await save(to: directory) }
    }

    /// Asks for a side-by-side rebuild. - Returns: false when one is asked for or running already.
    @discardableResult
    public func requestRebuild() -> Bool {
        let asked = state.withLock { live -> Bool in
            guard !live.rebuildRequested else { return false }
            live.rebuildRequested = true
            return true
        }
        if asked { rebuildAsked.wakeAll() }
        return asked
    }

    /// Returns once the live model has applied the log up to `cursor`, or after `timeout`.
    /// - Returns: whether it has.
    public func wait(for cursor: Cursor, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        var seen = applied.generation
        while checkpoint < cursor {
            let left = deadline - ContinuousClock.now
            if left <= .zero || Task.isCancelled { return false }
            seen = await applied.wait(after: seen, timeout: left)
        }
        return true
    }

    /// Follows the log from the checkpoint until cancelled; a failure (the database
    /// unreachable) is retried from the checkpoint.
    private func follow() async {
        var lastSave = ContinuousClock.now
        var backoff = Backoff()
        while !Task.isCancelled {
            do {
                var iterator = store.subscribe(after: checkpoint).makeAsyncIterator()
                while let batch = try await iterator.nextBatch() {
                    try await apply(batch)
                    backoff.reset()
                    if let directory, saveDue() || ContinuousClock.now - lastSave >= snapshotInterval {
                        await save(to: directory)
                        lastSave = ContinuousClock.now
                    }
                }
            } catch {
                if Task.isCancelled { return }
                let delay = backoff.next(after: error)
                logger.error("a read model could not apply the log; retrying from its checkpoint", metadata: [
                    "read_model": "\(projection.name)", "checkpoint": "\(checkpoint)", "error": "\(error)", "retry_in": "\(delay)",
                ])
                try? await Task.sleep(for: delay)
            }
        }
    }

    /// Hands the live model the events of `batch` after its checkpoint that it wants, one
    /// at a time, moving the checkpoint past each (and past the batch's last event at the
    /// end): a failure half-way resumes at the event that failed. When a rebuild's model was
    /// swapped in meanwhile, the rest goes to that one, after its own checkpoint.
    func apply(_ batch: [RecordedEvent]) async throws {
        guard let last = batch.last else { return }
        defer { applied.wakeAll() }
        while true {
            let (model, from) = state.withLock { ($0.model, $0.checkpoint) }
            var swapped = false
            for event in batch where event.cursor > from && wants(event) {
                try await model.apply([event])
                swapped = !state.withLock { live in
                    guard live.model === model else { return false }
                    live.checkpoint = event.cursor
                    return true
                }
                if swapped { break }
            }
            if swapped { continue }
            let done = state.withLock { live -> Bool in
                guard live.model === model else { return false }
                live.checkpoint = max(live.checkpoint, last.cursor)
                return true
            }
            if done { return }
        }
    }

    private func wants(_ event: RecordedEvent) -> Bool {
        projection.eventTypes?.contains(event.type) ?? true
    }

    private func saveDue() -> Bool {
        let swapped = state.withLock { live in
            defer { live.saveDue = false }
            return live.saveDue
        }
        return model.takeSaveDue() || swapped
    }

    private func rebuildWhenRequested() async {
        var seen = rebuildAsked.generation
        while !Task.isCancelled {
            if state.withLock({ $0.rebuildRequested }) {
                do {
                    try await rebuild()
                } catch {
                    if !Task.isCancelled {
                        logger.error("a read model's rebuild failed; the live one answers on", metadata: [
                            "read_model": "\(projection.name)", "error": "\(String(reflecting: error))",
                        ])
                    }
                }
                state.withLock { live in
                    live.rebuildRequested = false
                    live.rebuilding = nil
                }
            }
            seen = await rebuildAsked.wait(after: seen, timeout: .seconds(3_600))
        }
    }

    /// Folds a new model from the start of the log while the live one answers, and swaps
    /// it in once it has applied at least what the live one has.
    private func rebuild() async throws {
        let started = ContinuousClock.now
        logger.notice("read model rebuild started", metadata: ["read_model": "\(projection.name)"])
        let fresh = projection.makeModel()
        var cursor = Cursor.start
        state.withLock { $0.rebuilding = cursor }
        while !Task.isCancelled {
            let batch = try await store.readLog(after: cursor, limit: Self.rebuildBatch)
            if let last = batch.last {
                let wanted = batch.filter(wants)
                if !wanted.isEmpty { try await fresh.apply(wanted) }
                cursor = last.cursor
                state.withLock { $0.rebuilding = cursor }
                continue
            }
            let swapped = state.withLock { live -> Bool in
                guard live.checkpoint <= cursor else { return false }
                live.model = fresh
                live.checkpoint = cursor
                live.saveDue = true
                return true
            }
            if swapped {
                applied.wakeAll()
                logger.notice("read model rebuilt and swapped in", metadata: [
                    "read_model": "\(projection.name)", "checkpoint": "\(cursor)", "took": "\(ContinuousClock.now - started)",
                ])
                return
            }
            try await Task.sleep(for: .milliseconds(50))   // the live model read further: so will this one
        }
    }

    /// Writes the live model under `directory`, on NIO's blocking-work pool (a save of a
    /// large model takes seconds of file writes, which must not hold a thread that serves
    /// requests); a failure is logged (the next save tries again).
    func save(to directory: URL) async {
        let (model, checkpoint) = state.withLock { ($0.model, $0.checkpoint) }
        let manifest = ExternalSnapshot.Manifest(name: projection.name, version: projection.version, checkpoint: checkpoint.description)
        do {
            try await NIOThreadPool.singleton.runIfActive { try ExternalSnapshot(directory: directory).save(model, manifest) }
            logger.info("read model saved", metadata: ["read_model": "\(projection.name)", "checkpoint": "\(checkpoint)"])
        } catch {
            logger.error("a read model could not be saved", metadata: [
                "read_model": "\(projection.name)", "directory": "\(directory.path)", "error": "\(error)",
            ])
        }
    }

    /// Loads the saved model if it is of this version (on NIO's blocking-work pool); else
    /// (or when it cannot be read) the model is folded from the whole log.
    func load(from directory: URL) async {
        let started = ContinuousClock.now
        do {
            guard let (folder, manifest) = try ExternalSnapshot(directory: directory).saved() else { return }
            guard manifest.name == projection.name, manifest.version == projection.version, let checkpoint = Cursor(manifest.checkpoint)
            else {
                logger.notice("the saved read model is of another version; folding it from the whole log", metadata: [
                    "read_model": "\(projection.name)", "saved_version": "\(manifest.version)", "version": "\(projection.version)",
                ])
                return
            }
            let model = try await NIOThreadPool.singleton.runIfActive { [projection] in try projection.loadModel(from: folder) }
            state.withLock { live in
                live.model = model
                live.checkpoint = checkpoint
            }
            logger.notice("read model loaded", metadata: [
                "read_model": "\(projection.name)", "checkpoint": "\(checkpoint)", "took": "\(ContinuousClock.now - started)",
            ])
        } catch {
            logger.warning("the saved read model could not be loaded; folding it from the whole log", metadata: [
                "read_model": "\(projection.name)", "directory": "\(directory.path)", "error": "\(error)",
            ])
        }
    }
}
