@testable import EventStore
import EventStoreTesting
import Testing

/// Reads that need the log only as far as a cursor already returned (a live client's
/// catch-up): below the floor, without computing the horizon again.
extension HorizonTests {
    @Test func readThroughAReturnedCursor_readsBelowTheFloor_andComputesTheHorizonOnceTheFloorIsForgotten() async throws {
        try await TestDatabase.withStore { store in
            let filter = LogFilter(tenant: Self.tenant)
            _ = try await store.append(tenant: Self.tenant, stream: "horizon-through", expected: .any,
                                       events: [testEvent("a"), testEvent("b")])
            var read: [RecordedEvent] = []
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "the events read") {
                read = try await store.readLog(after: .start, filter: filter)
                return read.count == 2
            }
            let returned = try #require(read.last).cursor
            // Appended after the floor was last raised: its transaction is at or past it.
            let later = try await store.append(tenant: Self.tenant, stream: "horizon-through", expected: .any,
                                               events: [testEvent("c")])

            let belowFloor = try await store.readLog(after: .start, through: returned, filter: filter)
            #expect(belowFloor.map(\.cursor) == read.map(\.cursor), "read past the floor: the horizon was computed")

            var computed: [RecordedEvent] = []
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "the later event read") {
                // Forgotten before each read: once a computed read passes `returned`, later
                // ones read below the floor again (one computation may come out low).
                store.horizonFloor.reset()
                computed = try await store.readLog(after: .start, through: returned, filter: filter)
                return computed.last?.cursor == later.lastCursor
            }
            #expect(computed.count == 3)
            #expect(store.horizonFloorValue > later.lastCursor.transaction)
        }
    }
}
