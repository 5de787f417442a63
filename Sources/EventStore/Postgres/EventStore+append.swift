import Foundation
import PostgresNIO

extension EventStore {
    /// Appends events to one or several streams of `tenant` in one transaction: all or nothing.
    ///
    /// Each stream's expected version is checked against its head in the same statement; an
    /// append that loses the race for a version to a concurrent writer is re-run from the
    /// new head. An append whose event ids were all written before, with the same content,
    /// returns that first result and writes nothing (``AppendResult/wasReplayed``). Events
    /// that name a data subject have their personal fields sealed with its key first.
    /// - Throws: ``EventStoreError`` — `invalidInput` before any IO; `subjectErased`; `wrongExpectedVersion`
    ///   with the stream's actual version; `eventIDConflict` when an id was used for other
    ///   content; `unavailable` when the database cannot be reached.
    public func append(tenant: String, _ appends: [StreamAppend]) async throws -> AppendResult {
        let plan = try AppendPlan(tenant: tenant, appends: try await sealPersonalData(appends, tenant: tenant), limits: limits)
        var attempt = 1
        while true {
            do {
                let result = attempt == 1
                    ? try await client.withConnection { try await execute(plan, on: $0) }
                    : try await executeQueued(plan)
                didCommit()
                return result
            } catch let conflict as EventStoreError where conflict.code == .wrongExpectedVersion {
                if let replay = try await replay(plan) { return replay }
                throw conflict
            } catch {
                let failure = DatabaseFailure(error)
                switch failure {
                case .streamAppendedConcurrently where attempt < Self.maximumRaceRetries:
                    // Spread the losers out so they do not collide again at once.
                    try await Task.sleep(for: .microseconds(Int.random(in: 0...(200 * attempt))))
                    attempt += 1
                    continue
                case .duplicateEventID:
                    if let replay = try await replay(plan) { return replay }
                default:
                    break
                }
                throw storeError(failure, error, plan: plan)
            }
        }
    }

    /// How often an append is retried from the new head after losing a race for a
    /// stream version to another writer. Only `any` and `streamExists` appends can win
    /// a retry; the others then fail with the actual version.
    static let maximumRaceRetries = 32

    /// A retry after a lost race: in a transaction that first waits for the advisory lock
    /// of each of its streams (``streamLockClassID``, in key order), so that the writers
    /// that lost on a stream take turns instead of colliding again. Only a first attempt,
    /// which takes no lock, can still beat it; optimistic retries alone starved under eight
    /// writers on four streams.
    private func executeQueued(_ plan: AppendPlan) async throws -> AppendResult {
        try await withTransaction { connection in
            try await Self.run("""
                SELECT count(pg_advisory_xact_lock(\(Self.streamLockClassID), k))
                  FROM (SELECT DISTINCT hashtext(\(plan.tenant) || '/' || s) AS k
                          FROM unnest(\(plan.streams)::text[]) AS s ORDER BY k) AS keys
                """, on: connection, logger: logger)
            return try await execute(plan, on: connection)
        }
    }

    /// The first key of the advisory locks that give retried appends their turn on a stream
    /// ("EVLS"; `pg_locks.classid`); the second is the hash of tenant and stream. Held only
    /// by retried appends, until their transaction ends.
    public static let streamLockClassID: Int32 = 0x4556_4C53

    /// Appends to a single stream.
    public func append(
        tenant: String, stream: String, expected: ExpectedVersion, events: [NewEvent]
    ) async throws -> AppendResult {
        try await append(tenant: tenant, [StreamAppend(stream: stream, expected: expected, events: events)])
    }

    /// Appends inside the caller's open transaction on `connection`.
    ///
    /// The events become visible when the caller commits; call ``didCommit()`` then. A
    /// version mismatch leaves the transaction usable; any other failure aborts it. No
    /// idempotent replay and no retry after a lost race are attempted.
    ///
    /// The first append declares the transaction a log writer, which holds log readers back
    /// until it ends; so it must come before the transaction's other writes (reads are fine).
    /// - Throws: ``EventStoreError`` as ``append(tenant:_:)``; `appendNotFirstWrite` when the
    ///   transaction already wrote something else (the transaction is then aborted).
    public func append(
        tenant: String, _ appends: [StreamAppend], on connection: PostgresConnection
    ) async throws -> AppendResult {
        let plan = try AppendPlan(tenant: tenant, appends: try await sealPersonalData(appends, tenant: tenant), limits: limits)
        do {
            return try await execute(plan, on: connection)
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw storeError(DatabaseFailure(error), error, plan: plan)
        }
    }

    private func execute(_ plan: AppendPlan, on connection: PostgresConnection) async throws -> AppendResult {
        // postgres-nio (1.33) never answers a statement written to a closed connection (see
        // queryUnlessClosed). The append keeps its prepared statement, so it checks just
        // before writing instead: a connection the pool handed out after it died is refused.
        guard !connection.isClosed else { throw EventStoreError(.unavailable, "the database connection was lost") }
        var written: [UUID: AppendResult.Written] = [:]
        written.reserveCapacity(plan.eventIDs.count)
        for try await (id, stream, version, position, tx, expected) in try await connection.execute(
            AppendStatement(plan: plan), logger: logger)
        {
            guard let id, let position, let tx, let transaction = UInt64(tx) else {
                throw EventStoreError.wrongExpectedVersion(
                    stream: stream, expected: ExpectedVersion(sqlValue: expected ?? -1), actual: version)
            }
            written[id] = .init(eventID: id, stream: stream, streamVersion: version,
                                cursor: Cursor(transaction: transaction, position: position))
        }
        let events = try plan.requestOrder.map { index in
            guard let event = written[plan.eventIDs[index]] else {
                throw EventStoreError(.internalError, "the append did not return every event")
            }
            return event
        }
        return AppendResult(events: events, wasReplayed: false)
    }

    func storeError(_ failure: DatabaseFailure, _ error: any Error, plan: AppendPlan) -> EventStoreError {
        switch failure {
        case .streamAppendedConcurrently:
            return EventStoreError(.wrongExpectedVersion, "another writer appended to the same stream at the same time",
                                   underlying: error)
        case .duplicateEventID:
            return EventStoreError(.eventIDConflict, "an event id of this append is already in the log", underlying: error)
        case .appendOnly:
            return EventStoreError(.eventLogIsAppendOnly, "the event log is append-only", underlying: error)
        case .appendNotFirstWrite:
            return EventStoreError(.appendNotFirstWrite,
                                   "an append must be the first write of its transaction; nothing was appended",
                                   underlying: error)
        case .invalidValue(let message):
            return EventStoreError(.invalidInput, "the database refused a value: \(message)", underlying: error)
        case .unavailable, .notMigrated, .timedOut:
            return failure.generalError(error)!
        case .other, .readModelOutdated:
            if error is CancellationError || Task.isCancelled {
                // The caller stopped waiting (a shutdown): nothing to report.
                return EventStoreError(.unavailable, "the append was cancelled", underlying: error)
            }
            logger.error("append failed", metadata: ["tenant": "\(plan.tenant)", "error": "\(DatabaseFailure.summary(error))"])
            return EventStoreError(.internalError, "the append failed", underlying: error)
        }
    }
}
