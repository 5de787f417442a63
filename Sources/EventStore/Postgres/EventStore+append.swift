import Foundation
import PostgresNIO

extension EventStore {
    /// Appends events to one or several streams of `tenant` in one transaction: all or nothing.
    ///
    /// Each stream's expected version is checked under its row lock. An append whose event
    /// ids were all written before, with the same content, returns that first result and
    /// writes nothing (``AppendResult/wasReplayed``).
    /// - Throws: ``EventStoreError`` — `invalidInput` before any IO; `wrongExpectedVersion`
    ///   with the stream's actual version; `eventIDConflict` when an id was used for other
    ///   content; `unavailable` when the database cannot be reached.
    public func append(tenant: String, _ appends: [StreamAppend]) async throws -> AppendResult {
        let plan = try AppendPlan(tenant: tenant, appends: appends, limits: limits)
        var attempt = 1
        while true {
            do {
                let result = try await client.withConnection { try await execute(plan, on: $0) }
                didCommit()
                return result
            } catch {
                let failure = DatabaseFailure(error)
                if case .streamCreatedConcurrently = failure, attempt < 3 {
                    attempt += 1
                    continue
                }
                if failure.mayBeRetry, let replay = try await replay(plan) {
                    return replay
                }
                throw storeError(failure, error, plan: plan)
            }
        }
    }

    /// Appends to a single stream.
    public func append(
        tenant: String, stream: String, expected: ExpectedVersion, events: [NewEvent]
    ) async throws -> AppendResult {
        try await append(tenant: tenant, [StreamAppend(stream: stream, expected: expected, events: events)])
    }

    /// Appends inside the caller's open transaction on `connection`.
    ///
    /// The events become visible when the caller commits; call ``didCommit()`` then. On
    /// failure the caller's transaction is aborted and no idempotent replay is attempted.
    /// - Throws: ``EventStoreError`` as ``append(tenant:_:)``.
    public func append(
        tenant: String, _ appends: [StreamAppend], on connection: PostgresConnection
    ) async throws -> AppendResult {
        let plan = try AppendPlan(tenant: tenant, appends: appends, limits: limits)
        do {
            return try await execute(plan, on: connection)
        } catch {
            throw storeError(DatabaseFailure(error), error, plan: plan)
        }
    }

    private func execute(_ plan: AppendPlan, on connection: PostgresConnection) async throws -> AppendResult {
        var written: [UUID: AppendResult.Written] = [:]
        written.reserveCapacity(plan.eventIDs.count)
        let streamOf = Dictionary(uniqueKeysWithValues: zip(plan.eventIDs, plan.eventStreams))
        for try await (id, version, position, tx) in try await connection.execute(
            AppendStatement(plan: plan), logger: logger)
        {
            guard let transaction = UInt64(tx), let stream = streamOf[id] else {
                throw EventStoreError(.internalError, "the append returned an unexpected row")
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
        case .wrongExpectedVersion(let stream, let expected, let actual):
            return wrapping(.wrongExpectedVersion(stream: stream, expected: ExpectedVersion(sqlValue: expected), actual: actual), error)
        case .duplicateEventID:
            return wrapping(EventStoreError(.eventIDConflict, "an event id of this append is already in the log"), error)
        case .appendOnly:
            return wrapping(EventStoreError(.eventLogIsAppendOnly, "the event log is append-only"), error)
        case .invalidValue(let message):
            return wrapping(.invalid("the database refused a value: \(message)"), error)
        case .unavailable, .notMigrated:
            return failure.generalError(error)!
        case .streamCreatedConcurrently, .other:
            logger.error("append failed", metadata: ["tenant": "\(plan.tenant)", "error": "\(DatabaseFailure.summary(error))"])
            return wrapping(EventStoreError(.internalError, "the append failed"), error)
        }
    }
}

private func wrapping(_ storeError: EventStoreError, _ underlying: any Error) -> EventStoreError {
    var storeError = storeError
    storeError.underlying = underlying
    return storeError
}

extension DatabaseFailure {
    /// A failure that an earlier identical append would also cause.
    var mayBeRetry: Bool {
        switch self {
        case .wrongExpectedVersion, .duplicateEventID: true
        default: false
        }
    }
}
