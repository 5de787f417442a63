import Logging
import PostgresNIO

/// One active owner among processes: a PostgreSQL session advisory lock, held on a
/// connection of its own so that it lasts exactly as long as that connection.
///
/// A process that cannot take the lock waits as a hot standby and takes over within
/// about `pollInterval` of the owner's connection ending (exit, crash, network loss).
public struct LeaderLock: Sendable {
    /// The lock's two keys: `classID` says "Eventloom", `objectID` which role.
    public let classID: Int32
    public let objectID: Int32
    /// What is led, for log lines, e.g. "relay".
    public let role: String
    let configuration: PostgresConnection.Configuration
    let pollInterval: Duration
    let logger: Logger

    /// The keys' first half for every Eventloom lock ("EVLM").
    public static let eventloomClassID: Int32 = 0x4556_4C4D

    public init(role: String, objectID: Int32, configuration: PostgresConnection.Configuration,
                pollInterval: Duration = .milliseconds(500), logger: Logger) {
        self.classID = Self.eventloomClassID
        self.objectID = objectID
        self.role = role
        self.configuration = configuration
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// Waits for the lock, then runs `body` while holding it.
    ///
    /// `body` is cancelled when the lock's connection fails, because from then on another
    /// process may hold the lock; the call then throws ``EventStoreError/Code/unavailable``.
    /// The lock is released when `body` returns.
    /// - Throws: ``EventStoreError/Code/unavailable`` when PostgreSQL cannot be reached or
    ///   the connection is lost; whatever `body` throws.
    public func whileLeading<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw EventStoreError(.unavailable, "cannot connect for the \(role) lock", underlying: error)
        }
        let result: Result<T, any Error>
        do {
            try await waitForLock(on: connection)
            result = .success(try await lead(on: connection, body))
        } catch {
            result = .failure(error)
        }
        // Closing the session is what releases the lock, whatever state it is in.
        try? await connection.close()
        return try result.get()
    }

    /// Runs `body` whenever this process holds the lock, until the task is cancelled: when
    /// `body` fails or the lock is lost, waits with backoff (up to `maximumBackoff`), logs
    /// why, and tries again. `body` is expected to return only when cancelled.
    public func leadUntilCancelled(maximumBackoff: Duration, _ body: @escaping @Sendable () async throws -> Void) async {
        var backoff = Backoff(maximum: maximumBackoff)
        while !Task.isCancelled {
            do {
                try await whileLeading(body)
            } catch {
                if Task.isCancelled { return }
                let delay = backoff.next(after: error)
                logger.warning("\(role): stopped; trying again",
                               metadata: ["error": "\(String(reflecting: error))", "retry_in": "\(delay)"])
                try? await Task.sleep(for: delay)
            }
        }
    }

    private func lead<T: Sendable>(on connection: PostgresConnection, _ body: @escaping @Sendable () async throws -> T)
        async throws -> T
    {
        logger.notice("\(role): leading (holding the lock)")
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await watch(connection)
                return nil
            }
            defer { group.cancelAll() }
            guard let result = try await group.next(), let value = result else {
                throw EventStoreError(.unavailable, "\(role) lock lost")
            }
            return value
        }
    }

    private func waitForLock(on connection: PostgresConnection) async throws {
        var announced = false
        while true {
            let rows = try await query(connection, "SELECT pg_try_advisory_lock(\(classID), \(objectID))")
            if try rows.first?.decode(Bool.self) == true { return }
            if !announced {
                logger.notice("\(role): another process holds the lock; standing by")
                announced = true
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// Returns never; throws once the connection stops answering.
    private func watch(_ connection: PostgresConnection) async throws {
        while true {
            try await Task.sleep(for: pollInterval)
            _ = try await query(connection, "SELECT 1")
        }
    }

    /// Never sends on a closed connection: postgres-nio (1.33) leaves such a query unanswered
    /// and uncancellable, which kept a lost lock unnoticed and its process deaf to SIGTERM.
    private func query(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> [PostgresRow] {
        do {
            return try await connection.queryUnlessClosed(query, logger: logger)
        } catch {
            throw EventStoreError(.unavailable, "\(role) lock connection failed", underlying: error)
        }
    }
}
