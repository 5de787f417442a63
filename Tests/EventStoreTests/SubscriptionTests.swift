import EventStore
import EventStoreTesting

import Testing

@Suite struct SubscriptionTests {
    @Test func subscription_catchesUpThenFollowsLiveAppends() async throws {
        try await TestDatabase.withStore { store in
            try await store.append(tenant: "acme", stream: "lock-1", expected: .any, events: [testEvent("old")])
            let seen = Locked<[String]>([])
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await event in store.subscribe(after: .start, filter: LogFilter(tenant: "acme"), pollInterval: .seconds(300)) {
                        let count = seen.withLock { $0.append(event.data); return $0.count }
                        if count == 3 { return }
                    }
                }
                try await Task.sleep(for: .milliseconds(200))
                try await store.append(tenant: "acme", stream: "lock-1", expected: .any, events: [testEvent("live1")])
                try await store.append(tenant: "acme", stream: "lock-2", expected: .any, events: [testEvent("live2")])
                // The poll interval is 5 minutes: arriving within a minute (the commits may wait for
                // the cluster-wide horizon under the suite's load) means the notification woke it.
                try await waitUntil(deadline: .now + TestDatabase.horizonTimeout) { seen.withLock { $0.count } == 3 }
                group.cancelAll()
            }
            let payloads = seen.withLock { $0 }
            #expect(payloads.count == 3)
            #expect(zip(payloads, ["old", "live1", "live2"]).allSatisfy { $0.contains("\"\($1)\"") })
        }
    }

    @Test func subscription_fromACursor_startsRightAfterIt_andHonoursTheFilter() async throws {
        try await TestDatabase.withStore { store in
            let first = try await store.append(tenant: "acme", stream: "lock-1", expected: .any, events: [testEvent("a")])
            try await store.append(tenant: "acme", stream: "budget-1", expected: .any, events: [testEvent("skip me")])
            try await store.append(tenant: "acme", stream: "lock-1", expected: .any, events: [testEvent("b")])
            var iterator = store.subscribe(after: first.lastCursor, filter: LogFilter(category: "lock")).makeAsyncIterator()
            let next = try await iterator.next()
            #expect(next?.data.contains("\"b\"") == true)
        }
    }

    @Test func subscription_endsWhenItsTaskIsCancelled() async throws {
        try await TestDatabase.withStore { store in
            let ended = Locked(false)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await _ in store.subscribe(after: .start) {}
                    ended.withLock { $0 = true }
                }
                try await Task.sleep(for: .milliseconds(200))
                #expect(!ended.withLock { $0 })
                group.cancelAll()
                try await group.waitForAll()
            }
            #expect(ended.withLock { $0 })
        }
    }
}

/// Waits until `condition` holds or `deadline` passes (test scaffolding, not a timed assertion).
func waitUntil(deadline: ContinuousClock.Instant, _ condition: () -> Bool) async throws {
    while !condition() && ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(20))
    }
}
