import EventStore
import EventStoreTesting
import Domain
import Foundation
import NATSTesting
import Testing

@Suite("Lock queue across API processes") struct LockQueueTests {
    /// Ten waiters queue in turn, alternately on this process's API and on an `eventloom
    /// serve` child: each is granted the lock once, in arrival order, with fencing tokens
    /// in that order, and each hand-over reaches its waiter whichever process it waits on.
    @Test func tenWaiters_getTheLockInArrivalOrder_eachOnce_acrossTwoProcesses() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme", roles: ["operator"])
            let here = try #require(api.client.port)
            let there = try FreePort.find()
            let serve = try EventloomProcess(name: "serve", arguments: [
                "serve", "--database-url", api.databaseURL, "--http-addr", "127.0.0.1:\(there)", "--admin-key", adminKey])
            do {
                try await waitUntil(timeout: .seconds(60), "second API listening") { (try? RawSocket(port: there)) != nil }
                let order = try await Self.runQueue(api, key: key, ports: [here, there])
                #expect(order.map(\.waiter) == Array(0..<10), "granted in arrival order, each once")
                #expect(order.map(\.token) == Array(2...11), "fencing tokens grow with every grant")
                let types = try await api.store.readStream(tenant: "acme", stream: "lock-fifo").map(\.type)
                #expect(types.filter { $0 == "LockAcquired" }.count == 11 && types.filter { $0 == "LockWaitQueued" }.count == 10)
            } catch {
                _ = await serve.terminate()
                throw error
            }
            #expect(await serve.terminate() == 0, "\(serve.lines.suffix(20))")
        }
    }

    private static func runQueue(_ api: APITest, key: String, ports: [Int]) async throws -> [(waiter: Int, token: Int)] {
        let holder = try await ChildHTTP.send(ports[0], key: key, "POST", "/v1/locks/fifo/acquire",
                                              #"{"owner":"holder","ttl_ms":30000}"#)
        let holderToken = try #require(try Self.object(holder.body)["owner_token"] as? String)
        let order = Locked<[(waiter: Int, token: Int)]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<10 {
                let port = ports[index % ports.count]
                group.addTask {
                    let reply = try await ChildHTTP.send(port, key: key, "POST", "/v1/locks/fifo/acquire",
                                                         #"{"owner":"w\#(index)","ttl_ms":30000,"wait_ms":30000}"#,
                                                         timeout: .seconds(45))
                    try #require(reply.status == 200, "w\(index): \(reply.body)")
                    let grant = try Self.object(reply.body)
                    let token = try #require(grant["fencing_token"] as? Int)
                    order.withLock { $0.append((index, token)) }
                    let released = try await ChildHTTP.send(port, key: key, "POST", "/v1/locks/fifo/release",
                                                            #"{"owner_token":"\#(grant["owner_token"] as? String ?? "")"}"#)
                    #expect(released.status == 200, "w\(index) releases: \(released.body)")
                }
                try await waitUntil(timeout: .seconds(20), "w\(index) queued") {
                    try await api.store.state(of: Lock.self, tenant: "acme", stream: "lock-fifo").state.waiters.count == index + 1
                }
            }
            let released = try await ChildHTTP.send(ports[0], key: key, "POST", "/v1/locks/fifo/release",
                                                    #"{"owner_token":"\#(holderToken)"}"#)
            #expect(released.status == 200)
            try await group.waitForAll()
        }
        return order.value
    }

    private static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}
