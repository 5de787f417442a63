import Domain
import EventStore
import PostgresNIO

extension ProjectionRunner {
    /// Applies the log after `cursor` as it grows, until a rebuild is requested.
    func follow(from cursor: Cursor) async throws {
        logger.info("projection: following the log", metadata: ["after": "\(cursor)"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await applyLog(after: cursor) }
            group.addTask { try await waitForRebuildRequest() }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func applyLog(after start: Cursor) async throws {
        var cursor = start
        var events = store.subscribe(after: cursor, batchSize: configuration.batchSize).makeAsyncIterator()
        while let batch = try await events.nextBatch() {
            cursor = try await applyStoppingAtFailure(batch, after: cursor)
        }
    }

    /// Returns once a rebuild is requested or the projection's version changed.
    private func waitForRebuildRequest() async throws {
        while true {
            try await Task.sleep(for: configuration.rebuildCheckInterval)
            if let status = try await catalog.status(projection.name), needsRebuild(status) { return }
        }
    }

    /// Applies `batch` to the live tables; see ``applyStoppingAtFailure(_:after:using:)``.
    func applyStoppingAtFailure(_ batch: [RecordedEvent], after cursor: Cursor) async throws -> Cursor {
        try await applyStoppingAtFailure(batch, after: cursor) { try await apply($0, after: $1) }
    }

    /// Applies `batch` in one transaction with `apply`; if that fails, event by event,
    /// stopping at the one that fails (recorded in the status) and retrying it until it
    /// applies. A moved checkpoint, a cancellation or a lost database end the call instead.
    /// - Returns: the new checkpoint.
    func applyStoppingAtFailure(
        _ batch: [RecordedEvent], after cursor: Cursor,
        using apply: ([RecordedEvent], Cursor) async throws -> Void
    ) async throws -> Cursor {
        do {
            try await apply(batch, cursor)
            return batch.last!.cursor
        } catch {
            try rethrowUnlessTheEventsFailed(error)
            if batch.count == 1 {
                return try await retryUntilApplied(batch[0], after: cursor, firstError: error, using: apply)
            }
        }
        var cursor = cursor
        for event in batch {
            do {
                try await apply([event], cursor)
            } catch {
                try rethrowUnlessTheEventsFailed(error)
                _ = try await retryUntilApplied(event, after: cursor, firstError: error, using: apply)
            }
            cursor = event.cursor
        }
        return cursor
    }

    /// Errors that are not about the events: the runner stops and starts again.
    private func rethrowUnlessTheEventsFailed(_ error: any Error) throws {
        if error is ProjectionError || error is CancellationError || Task.isCancelled { throw error }
        if let error = error as? EventStoreError, error.code == .unavailable { throw error }
    }

    /// Applies `events` and moves the checkpoint past them, in one transaction.
    func apply(_ events: [RecordedEvent], after cursor: Cursor) async throws {
        let wanted = try await asApplied(events.filter { projection.wants($0) })
        try await transaction(in: projection.schema) { connection in
            if !wanted.isEmpty { try await projection.apply(wanted, on: connection, logger: logger) }
            try await eraseSubjects(of: events, on: connection)
            try await catalog.advance(projection.name, from: cursor, to: events.last!.cursor, on: connection)
        }
        store.didMoveCheckpoint(projection.name, to: events.last!.cursor)
    }

    private func retryUntilApplied(
        _ event: RecordedEvent, after cursor: Cursor, firstError: any Error,
        using apply: ([RecordedEvent], Cursor) async throws -> Void
    ) async throws -> Cursor {
        var error = firstError
        var backoff = Backoff(maximum: configuration.maximumBackoff)
        while true {
            let delay = backoff.next()
            logger.error("projection: stopped at an event that fails to apply; retrying", metadata: [
                "event_id": "\(event.id)", "cursor": "\(event.cursor)", "type": "\(event.type)",
                "error": "\(String(reflecting: error))", "retry_in": "\(delay)"])
            try await catalog.markFailed(projection.name, at: event, error: FailureDescription(error).text)
            try await Task.sleep(for: delay)
            do {
                try await apply([event], cursor)
                logger.notice("projection: the failing event applied; going on", metadata: ["event_id": "\(event.id)"])
                return event.cursor
            } catch let failure {
                try rethrowUnlessTheEventsFailed(failure)
                error = failure
            }
        }
    }

    /// `events` as the projection applies them: personal fields revealed (plaintext, or
    /// erased), except for an in-database projection, which keeps the stored form on both
    /// paths because its rebuild reads the stored columns and holds no key.
    func asApplied(_ events: [RecordedEvent]) async throws -> [RecordedEvent] {
        guard !events.isEmpty, !(projection is any InDatabaseProjection) else { return events }
        return try await store.revealPersonalData(events)
    }

    /// Erases, in the projection's tables, each data subject whose erasure `events` holds
    /// (the projection's contract: ``Projection/erase(subject:tenant:on:logger:)``).
    func eraseSubjects(of events: [RecordedEvent], on connection: PostgresConnection) async throws {
        for event in events where SubjectEvent.typeNames.contains(event.type) {
            guard case .erased(let subject, _, _) = try event.decode(as: SubjectEvent.self) else { continue }
            try await projection.erase(subject: subject, tenant: event.tenant, on: connection, logger: logger)
        }
    }
}
