import EventStore
import EventStoreTesting
import Logging
import Projections
import ProjectionsTesting
import Testing

@Suite("Projection runner") struct RunnerTests {
    @Test func runner_appliesTheLogAndMovesTheCheckpointWithTheRows() async throws {
        try await TestDatabase.withDatabase { store, url in
            try await append(store, stream: "lock-1", count: 3)
            let last = try await append(store, tenant: "globex", stream: "lock-2", type: "LockReleased", count: 2)
            try await withRunner(CountingProjection(), store, databaseURL: url) {
                try await waitUntilProjected(store, "counting", last)
                let counts = try await rows(store, "SELECT tenant_id || ' ' || stream_id || ' ' || events || ' ' || last_type FROM projection_counting.counts ORDER BY 1")
                #expect(counts == ["acme lock-1 3 LockAcquired", "globex lock-2 2 LockReleased"])
                let status = try #require(try await ProjectionCatalog(client: store.client, logger: Logger(label: "t")).status("counting"))
                #expect(status.cursor == last && status.state == .running && status.version == 1)
            }
        }
    }

    @Test func failingEvent_stopsTheProjectionThere_visibly_andItResumesOnceFixed() async throws {
        try await TestDatabase.withDatabase { store, url in
            let before = try await append(store, stream: "lock-1", count: 2)
            let poisonCursor = try await append(store, stream: "lock-1", type: "Poison")
            let last = try await append(store, stream: "lock-1", count: 2)
            let failing = FailingTypes(["Poison"])
            let catalog = ProjectionCatalog(client: store.client, logger: Logger(label: "t"))
            try await withRunner(CountingProjection(failing: failing), store, databaseURL: url) {
                try await waitUntil(timeout: TestDatabase.horizonTimeout, "failed state") {
                    try await catalog.status("counting")?.state == .failed
                }
                let stopped = try #require(try await catalog.status("counting"))
                #expect(stopped.cursor == before, "stopped right before the failing event")
                #expect(stopped.error == "cannot count Poison events")
                let poison = try await store.readLog(after: before, limit: 1)
                #expect(stopped.failedEventID == poison.first?.id && poison.first?.cursor == poisonCursor)
                #expect(try await rows(store, "SELECT events::text FROM projection_counting.counts") == ["2"])

                failing.removeAll()
                try await waitUntilProjected(store, "counting", last)
                let resumed = try #require(try await catalog.status("counting"))
                #expect(resumed.state == .running && resumed.error == nil && resumed.failedEventID == nil)
                #expect(try await rows(store, "SELECT events::text FROM projection_counting.counts") == ["5"])
            }
        }
    }

    @Test func twoRunners_oneApplies_andTheStandbyTakesOver() async throws {
        try await TestDatabase.withDatabase { store, url in
            let first = try await append(store, count: 10)
            try await withRunner(CountingProjection(), store, databaseURL: url) {
                try await withRunner(CountingProjection(), store, databaseURL: url) {
                    try await waitUntilProjected(store, "counting", first)
                }
                // The inner runner has stopped, whichever of the two led: the other goes on.
                let second = try await append(store, count: 10)
                try await waitUntilProjected(store, "counting", second)
            }
            #expect(try await rows(store, "SELECT events::text FROM projection_counting.counts") == ["20"])
        }
    }
}
