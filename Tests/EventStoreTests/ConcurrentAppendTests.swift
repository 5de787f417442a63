import EventStore
import EventStoreTesting
import Testing

@Suite struct ConcurrentAppendTests {
    @Test func concurrentAnyAppends_toOneStream_allLandWithGaplessVersions() async throws {
        try await TestDatabase.withStore(maximumConnections: 10) { store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for n in 0..<10 {
                            try await store.append(tenant: "acme", stream: "budget-1", expected: .any,
                                                   events: [testEvent("w\(writer)-\(n)")])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let events = try await store.readStream(tenant: "acme", stream: "budget-1", limit: 1_000)
            #expect(events.map(\.streamVersion) == Array(1...80))
            #expect(try await store.verify().isIntact)
        }
    }

    @Test func concurrentCreators_withNoStream_exactlyOneWins() async throws {
        try await TestDatabase.withStore(maximumConnections: 10) { store in
            let outcomes = try await withThrowingTaskGroup(of: EventStoreError.Code?.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        do {
                            try await store.append(tenant: "acme", stream: "lock-new", expected: .noStream,
                                                   events: [testEvent("w\(writer)")])
                            return nil
                        } catch let error as EventStoreError {
                            return error.code
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == nil }.count == 1)
            #expect(outcomes.compactMap { $0 }.allSatisfy { $0 == .wrongExpectedVersion })
            #expect(try await store.count(tenant: "acme", stream: "lock-new") == 1)
        }
    }

    @Test func concurrentMultiStreamAppends_onOverlappingStreams_allLandGapless() async throws {
        try await TestDatabase.withStore(maximumConnections: 10) { store in
            let streams = ["lock-a", "lock-b", "lock-c", "lock-d"]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for n in 0..<10 {
                            let touched = streams.shuffled().prefix(Int.random(in: 2...4))
                            try await store.append(tenant: "acme", touched.map {
                                StreamAppend(stream: $0, expected: .any, events: [testEvent("w\(writer)-\(n)"), testEvent()])
                            })
                        }
                    }
                }
                try await group.waitForAll()
            }
            var total = 0
            for stream in streams {
                let versions = try await store.readStream(tenant: "acme", stream: stream, limit: 1_000).map(\.streamVersion)
                #expect(versions == versions.indices.map { Int64($0 + 1) })
                total += versions.count
            }
            let logged = try await store.count(tenant: "acme")
            #expect(total == logged)
            #expect(logged > 0)
            #expect(try await store.verify().isIntact)
        }
    }
}
