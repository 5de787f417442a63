import API
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Live stream (SSE)") struct LiveStreamTests {
    @Test func reconnectWithLastEventID_atRandomPoints_noGapNoDuplicate() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            let port = try #require(api.client.port)
            try await api.append(tenant: "acme", stream: "lock-early", count: 50)
            try await api.append(tenant: "globex", stream: "lock-other", count: 20)
            var received: [String] = []
            var lastID = "0-0"
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for round in 0..<10 {
                        try await api.append(tenant: "acme", stream: "lock-live-\(round % 3)", count: 25)
                        try await api.append(tenant: "globex", stream: "lock-other", count: 5)
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
                // Several connections, each cut after a random number of events.
                while received.count < 301 {  // the key's own KeyIssued, 50 early and 250 live locks
                    let cut = Int.random(in: 1...80)
                    var seen = 0
                    try await SSEClient.read(port: port, path: "/v1/events/stream", key: key, lastEventID: lastID) { item in
                        guard case .event(let id, _, let data) = item else { return true }
                        #expect(data.contains(#""tenant_id":"acme""#))
                        received.append(id)
                        lastID = id
                        seen += 1
                        return seen < cut && received.count < 301
                    }
                }
                try await group.waitForAll()
            }
            let log = try await wholeLog(api.store, filter: LogFilter(tenant: "acme"))
            #expect(log.count == 301)
            #expect(received == log.map(\.cursor.description), "every acme event once, in cursor order")
        }
    }

    @Test func filters_andAStartFromNow_deliverOnlyWhatIsAskedFor() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            let port = try #require(api.client.port)
            try await api.append(tenant: "acme", stream: "lock-before", count: 3)
            var types: [String] = []
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await Task.sleep(for: .milliseconds(500))
                    try await api.append(tenant: "acme", stream: "lock-x", count: 2)
                    try await api.append(tenant: "acme", stream: "lock-wanted", count: 2)
                }
                try await SSEClient.read(port: port, path: "/v1/events/stream?stream=lock-wanted", key: key) { item in
                    if case .event(_, let type, let data) = item {
                        #expect(data.contains(#""stream_id":"lock-wanted""#))
                        types.append(type)
                    }
                    return types.count < 2
                }
                try await group.waitForAll()
            }
            #expect(types == ["LockAcquired", "LockAcquired"])
        }
    }

    @Test func silence_getsAKeepAliveWithin15Seconds() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            let port = try #require(api.client.port)
            // Silence counts from the last thing the server sent: the `retry` line it opens with.
            var start = ContinuousClock.now
            var items: [SSEClient.Item] = []
            try await SSEClient.read(port: port, path: "/v1/events/stream", key: key) { item in
                if items.isEmpty { start = .now }
                items.append(item)
                return item != .comment("keep-alive")
            }
            #expect(items.first == .retry("3000"))
            #expect(items.last == .comment("keep-alive"))
            #expect(ContinuousClock.now - start < .seconds(15))
        }
    }
}

@Suite("Live stream, slow client") struct SlowLiveClientTests {
    @Test func clientThatStopsReading_isDisconnected() async throws {
        try await APITest.run(configure: { $0.liveClientCapacity = 200 }) { api in
            let key = try await api.issueKey(tenant: "acme")
            let socket = try RawSocket(port: try #require(api.client.port))
            try socket.send("GET /v1/events/stream HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer \(key)\r\n\r\n")
            // Never read: the server's writes block, the client's queue fills, and it is cut off.
            let payload = String(repeating: "x", count: 2_000)
            for round in 0..<40 {
                let events = (0..<250).map { _ in NewEvent(type: "LockAcquired", data: #"{"holder": "\#(payload)"}"#) }
                _ = try await api.store.append(tenant: "acme", [StreamAppend(stream: "lock-\(round)", expected: .any, events: events)])
            }
            // Now drain what the kernel buffered: the server must have closed the connection.
            let closed = try await socket.readUntilClosed(timeout: .seconds(60))
            #expect(closed, "the server kept the connection of a client that stopped reading")
        }
    }
}
