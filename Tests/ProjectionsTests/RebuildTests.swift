import EventStore
import EventStoreTesting
import Logging
import PostgresNIO
import Projections
import ProjectionsTesting
import Testing

@Suite("Projection rebuild") struct RebuildTests {
    static let countsHash: PostgresQuery =
        "SELECT coalesce(md5(string_agg(c::text, '|' ORDER BY tenant_id, stream_id)), '') FROM projection_counting.counts c"

    @Test func rebuildRequested_buildsAgainFromEmpty_andSwapsIn() async throws {
        try await TestDatabase.withDatabase { store, url in
            for stream in 1...5 { try await append(store, stream: "lock-\(stream)", count: 20) }
            let last = try await append(store, stream: "lock-9", count: 1)
            let catalog = ProjectionCatalog(client: store.client, logger: Logger(label: "t"))
            try await withRunner(CountingProjection(), store, databaseURL: url, configure: { $0.rebuildBatchSize = 7 }) {
                try await waitUntilProjected(store, "counting", last)
                let before = try await rows(store, Self.countsHash)
                // Damage the live rows: only a rebuild from the log brings them back.
                _ = try await rows(store, "WITH d AS (DELETE FROM projection_counting.counts RETURNING 1) SELECT count(*)::text FROM d")
                #expect(try await catalog.requestRebuild("counting"))
                try await waitUntil(timeout: TestDatabase.horizonTimeout, "rebuilt") {
                    try await catalog.status("counting")?.lastRebuiltAtMicros != nil
                }
                #expect(try await rows(store, Self.countsHash) == before)
                let status = try #require(try await catalog.status("counting"))
                #expect(status.rebuild == nil && status.cursor == last && status.state == .running)
                // The replaced tables are dropped right after the swap, in a statement of their own.
                try await waitUntil(timeout: TestDatabase.horizonTimeout, "the rebuild and retired schemas gone") {
                    try await rows(store, "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'projection_counting%'")
                        == ["projection_counting"]
                }
            }
        }
    }

    @Test func rebuildWhileEventsArrive_endsWithEveryEventOnce() async throws {
        try await TestDatabase.withDatabase { store, url in
            try await append(store, count: 200)
            let catalog = ProjectionCatalog(client: store.client, logger: Logger(label: "t"))
            try await withRunner(CountingProjection(), store, databaseURL: url, configure: { $0.rebuildBatchSize = 10 }) {
                try await waitUntilProjected(store, "counting", try await store.head()!)
                #expect(try await catalog.requestRebuild("counting"))
                var last = Cursor.start
                for _ in 0..<20 { last = try await append(store, count: 5) }
                try await waitUntilProjected(store, "counting", last)
            }
            #expect(try await rows(store, "SELECT events::text FROM projection_counting.counts") == ["300"])
        }
    }

    @Test func versionBumped_rebuildsIntoTheNewVersion() async throws {
        try await TestDatabase.withDatabase { store, url in
            let last = try await append(store, count: 30)
            try await withRunner(CountingProjection(version: 1), store, databaseURL: url) {
                try await waitUntilProjected(store, "counting", last)
            }
            let catalog = ProjectionCatalog(client: store.client, logger: Logger(label: "t"))
            try await withRunner(CountingProjection(version: 2), store, databaseURL: url) {
                try await waitUntil(timeout: TestDatabase.horizonTimeout, "version 2") {
                    try await catalog.status("counting")?.version == 2
                }
            }
            let status = try #require(try await catalog.status("counting"))
            #expect(status.cursor == last && status.lastRebuiltAtMicros != nil)
            #expect(try await rows(store, "SELECT events::text FROM projection_counting.counts") == ["30"])
        }
    }

    @Test func requestRebuild_ofAnUnknownProjection_isFalse() async throws {
        try await TestDatabase.withStore { store in
            let requested = try await ProjectionCatalog(client: store.client, logger: Logger(label: "t")).requestRebuild("nope")
            #expect(requested == false)
        }
    }
}
