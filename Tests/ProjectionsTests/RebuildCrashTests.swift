import EventStore
import EventStoreTesting
import Foundation
import Logging
import PostgresNIO
import Projections
import ProjectionsTesting
import Testing

@Suite("Projection process killed during a rebuild") struct RebuildCrashTests {
    static let auditHash: PostgresQuery = """
        SELECT count(*) || ' ' || md5(string_agg(a::text, '|' ORDER BY tenant_id, tx_id, global_position))
          FROM projection_audit.audit_events a
        """

    @Test func killedAtRandomPointsOfA100kRebuild_endsEqualToACleanRebuild() async throws {
        try await TestDatabase.withDatabase { store, url in
            // Registered while the log is empty: the rebuild is what fills the tables.
            try await withRunner(AuditProjection(), store, databaseURL: url) {
                try await waitUntil(timeout: TestDatabase.horizonTimeout, "registered") {
                    try await ProjectionCatalog(client: store.client, logger: Logger(label: "t")).status("audit") != nil
                }
            }
            try await appendHundredThousand(store)
            let head = try #require(try await store.head())
            let catalog = ProjectionCatalog(client: store.client, logger: Logger(label: "t"))
            #expect(try await catalog.requestRebuild("audit"))

            var killedAt: [Int64] = []
            for _ in 0..<4 {
                let before = try await catalog.status("audit")?.rebuild?.applied ?? 0
                let process = try EventloomProcess(name: "project", arguments: ["project", "--only", "audit", "--database-url", url])
                // Kill it at a random point once it has made progress of its own.
                try await waitUntil(timeout: .seconds(120), "rebuild progress") {
                    guard let rebuild = try await catalog.status("audit")?.rebuild else { return true }
                    return rebuild.applied > before
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...400)))
                await process.kill()
                guard let rebuild = try await catalog.status("audit")?.rebuild else { break }
                killedAt.append(rebuild.applied)
            }
            let last = try EventloomProcess(name: "project", arguments: ["project", "--only", "audit", "--database-url", url])
            try await waitUntilProjected(store, "audit", head)
            #expect(await last.terminate() == 0)
            #expect(killedAt.filter { $0 > 0 && $0 < 100_000 }.count >= 3, "killed mid-rebuild: \(killedAt)")
            #expect(last.hasLogged("resuming the rebuild"), "the last process resumed the rebuild the others left")
            let afterKills = try await rows(store, Self.auditHash)

            // A clean rebuild, in one go.
            let cleanBefore = try #require(try await catalog.status("audit"))
            try await withRunner(AuditProjection(), store, databaseURL: url) {
                #expect(try await catalog.requestRebuild("audit"))
                try await waitUntil(timeout: .seconds(120), "clean rebuild") {
                    let status = try await catalog.status("audit")
                    return status?.rebuild == nil && status?.lastRebuiltAtMicros != cleanBefore.lastRebuiltAtMicros
                }
            }
            let clean = try await rows(store, Self.auditHash)
            #expect(afterKills == clean)
            #expect(clean.first?.hasPrefix("100000 ") == true)
        }
    }

    /// 100,000 events: 100 appends of 1,000, over four tenants, with metadata.
    private func appendHundredThousand(_ store: EventStore) async throws {
        let tenants = ["acme", "globex", "initech", "umbrella"]
        for index in 0..<100 {
            let metadata = EventMetadata(actor: "key:\(index % 7)", correlationId: "req-\(index)",
                                         clientIp: "10.0.0.\(index)", userAgent: "bench/1")
            let events = (0..<1_000).map { number in
                NewEvent(type: number % 10 == 0 ? "LockReleased" : "LockAcquired",
                         data: #"{"holder": "h\#(number)"}"#, metadata: metadata)
            }
            _ = try await store.append(tenant: tenants[index % 4],
                                       [StreamAppend(stream: "lock-\(index)", expected: .any, events: events)])
        }
    }
}
