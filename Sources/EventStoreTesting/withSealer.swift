import Domain
import EventStore
import Foundation
import Logging

/// Runs a sealer (a seal every `every` events or 200 ms) on `store` around `body`.
public func withSealer<T: Sendable>(_ store: EventStore, databaseURL: String, key: SealSigningKey, every: Int = 7,
                             _ body: @Sendable () async throws -> T) async throws -> T {
    var logger = Logger(label: "test.sealer")
    logger.logLevel = .warning
    let sealer = Sealer(store: store, key: key, every: every, interval: .milliseconds(200),
                        lockConnection: try DatabaseURL.connectionConfiguration(databaseURL), logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await sealer.run() }
        defer { group.cancelAll() }
        return try await body()
    }
}

/// Waits until a seal covers every event committed now (the seal events after it aside),
/// and its `LogSealed` is recorded. (Committed, not readable: on a busy server the horizon
/// may not have passed the last writes yet, and a seal covering less would do.)
public func waitUntilSealed(_ store: EventStore) async throws {
    let head = try await store.committedHead()
    try await waitUntil(timeout: TestDatabase.horizonTimeout, "sealed through \(head)") {
        guard let seal = try await store.lastStoredSeal(), seal.through >= head else { return false }
        let recorded = try await store.readStream(tenant: StoredSeal.tenant, stream: LogSeal.stream, direction: .backwards, limit: 1)
        return (recorded.first?.streamVersion ?? 0) >= seal.record.sequence
    }
}
