import EventStore
import PostgresNIO

extension ProjectionRunner {
    /// Builds the read model from an empty state into the rebuild schema, resuming a rebuild
    /// that a stopped process left, then swaps it in. Queries read the live tables until the
    /// swap; while the version is unchanged they keep following the log meanwhile.
    func rebuild(_ status: ProjectionStatus) async throws {
        var rebuild = status.rebuild
        if rebuild?.version != projection.version || rebuild?.cursor == nil {
            rebuild = try await startRebuild()
        } else {
            logger.notice("projection: resuming the rebuild", metadata: ["after": "\(rebuild!.cursor!)"])
        }
        var progress = RebuildProgress(applied: rebuild!.applied, total: rebuild!.total ?? 0,
                                       interval: configuration.progressInterval)
        var cursor = rebuild!.cursor!
        var liveCursor = status.version == projection.version ? status.cursor : nil
        while true {
            let count = try await rebuildStep(after: &cursor)
            if count > 0, let line = progress.record(count) { logger.info("projection: rebuilding", metadata: line) }
            if let live = liveCursor { liveCursor = await followWhileRebuilding(after: live) }
            if count < configuration.rebuildBatchSize { break }
            try Task.checkCancellation()
        }
        try await swapIn(at: cursor)
        logger.notice("projection: rebuilt and swapped in", metadata: progress.summary())
    }

    /// Applies the next batch to the rebuild tables: inside the database when the projection
    /// can, else (or when that fails, to find and stop at the failing event) through
    /// ``Projection/apply(_:on:logger:)``. Returns how many events it applied.
    private func rebuildStep(after cursor: inout Cursor) async throws -> Int {
        if let inDatabase = projection as? any InDatabaseProjection, projection.eventTypes == nil {
            do {
                guard let (count, last) = try await applyToRebuildInDatabase(
                    inDatabase, after: cursor, limit: configuration.rebuildBatchSize) else { return 0 }
                cursor = last
                return count
            } catch {
                if error is ProjectionError || Task.isCancelled { throw error }
                logger.warning("projection: a rebuild batch failed in the database; applying it event by event",
                               metadata: ["after": "\(cursor)", "error": "\(String(reflecting: error))"])
            }
        }
        let batch = try await store.readLog(after: cursor, limit: configuration.rebuildBatchSize)
        guard !batch.isEmpty else { return 0 }
        cursor = try await applyStoppingAtFailure(batch, after: cursor) { try await applyToRebuild($0, after: $1) }
        return batch.count
    }

    private func startRebuild() async throws -> ProjectionStatus.Rebuild {
        let total = try await catalog.eventCount()
        try await transaction(in: projection.rebuildSchema) { connection in
            try await connection.queryUnlessClosed("DROP SCHEMA IF EXISTS \(unescaped: projection.rebuildSchema) CASCADE", logger: logger)
            try await connection.queryUnlessClosed("CREATE SCHEMA \(unescaped: projection.rebuildSchema)", logger: logger)
            try await projection.createTables(on: connection, logger: logger)
            try await catalog.startRebuild(projection.name, version: projection.version, total: Int64(total),
                                           on: connection)
        }
        logger.notice("projection: rebuilding from the start of the log",
                      metadata: ["version": "\(projection.version)", "events": "\(total)"])
        return ProjectionStatus.Rebuild(version: projection.version, cursor: .start, applied: 0, total: Int64(total))
    }

    private func applyToRebuild(_ batch: [RecordedEvent], after cursor: Cursor) async throws {
        let wanted = try await asApplied(batch.filter { projection.wants($0) })
        try await transaction(in: projection.rebuildSchema) { connection in
            if !wanted.isEmpty { try await projection.apply(wanted, on: connection, logger: logger) }
            try await eraseSubjects(of: batch, on: connection)
            try await catalog.advanceRebuild(projection.name, from: cursor, to: batch.last!.cursor,
                                             applied: batch.count, on: connection)
        }
    }

    /// Keeps the live tables up to date between rebuild batches; a failure there waits for
    /// the swap, which replaces those tables anyway.
    private func followWhileRebuilding(after cursor: Cursor) async -> Cursor? {
        do {
            let batch = try await store.readLog(after: cursor, limit: configuration.batchSize)
            guard !batch.isEmpty else { return cursor }
            try await apply(batch, after: cursor)
            return batch.last!.cursor
        } catch {
            logger.warning("projection: the live tables stop following until the rebuild is swapped in",
                           metadata: ["error": "\(String(reflecting: error))"])
            return nil
        }
    }

    /// In one transaction: the rebuild's indexes, the schema renames and the checkpoint.
    /// The replaced tables are dropped afterwards, once running queries let go of them.
    private func swapIn(at cursor: Cursor) async throws {
        try await transaction(in: projection.rebuildSchema) { connection in
            // Index builds sort in memory up to this much, instead of spilling to disk.
            try await connection.queryUnlessClosed("SELECT set_config('maintenance_work_mem', '256MB', true)", logger: logger)
            try await projection.createIndexes(on: connection, logger: logger)
            try await connection.queryUnlessClosed("DROP SCHEMA IF EXISTS \(unescaped: projection.retiredSchema) CASCADE",
                                       logger: logger)
            try await connection.queryUnlessClosed("""
                ALTER SCHEMA \(unescaped: projection.schema) RENAME TO \(unescaped: projection.retiredSchema)
                """, logger: logger)
            try await connection.queryUnlessClosed("""
                ALTER SCHEMA \(unescaped: projection.rebuildSchema) RENAME TO \(unescaped: projection.schema)
                """, logger: logger)
            try await catalog.finishRebuild(projection.name, at: cursor, on: connection)
        }
        store.didMoveCheckpoint(projection.name, to: cursor)
        try await store.client.queryUnlessClosed("DROP SCHEMA IF EXISTS \(unescaped: projection.retiredSchema) CASCADE",
                                                 logger: logger)
    }
}
