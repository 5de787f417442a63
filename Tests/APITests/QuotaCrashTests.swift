import AsyncHTTPClient
import Domain
import EventStore
import EventStoreTesting
import Foundation
import NATSTesting
import NIOCore
import Testing

/// Two `eventloom serve` processes, 64 concurrent clients (512 requests) reserving on one
/// budget through both, one process SIGKILLed a third of the way: no oversell, and every reservation a client got a
/// 2xx for is in the log.
@Suite("Quotas across processes") struct QuotaCrashTests {
    static let key = "quota-crash-admin-key-0123456789abcdef"
    static let clients = 64
    static let requestsPerClient = 8
    static let limit = 30_000

    // The two cases one after the other: each starts two servers and 64 clients.
    @Test(.serialized, arguments: [0, 1])
    func twoServers_sixtyFourClients_oneKilled_noOversell_andEveryGrantLogged(killed: Int) async throws {
        try await TestDatabase.withDatabase { store, databaseURL in
            let ports = [try FreePort.find(), try FreePort.find()]
            let servers = try ports.map { port in
                try EventloomProcess(name: "serve-\(port)", arguments: [
                    "serve", "--database-url", databaseURL, "--http-addr", "127.0.0.1:\(port)", "--admin-key", Self.key])
            }
            for (port, server) in zip(ports, servers) {
                do {
                    try await waitUntil(timeout: .seconds(60), "server listening") { (try? RawSocket(port: port)) != nil }
                } catch {
                    Issue.record("\(server.name) did not listen: \(server.lines.suffix(20))")
                    throw error
                }
            }
            let define = try await Self.send(ports[0], "POST", "/v1/budgets", """
                {"id":"hot","name":"Hot","scope":{"kind":"tenant"},"limit":{"tokens":\(Self.limit)},"period":"day"}
                """)
            try #require(define.status == 201, "\(define.body)")
            let price = try await Self.send(ports[0], "PUT", "/v1/models/m1/price", #"{"input_per_1k":"0.001","output_per_1k":"0.001"}"#)
            try #require(price.status == 200, "\(price.body)")

            let done = Locked(0)
            let isDead = Locked(false)
            let granted = await withTaskGroup(of: [String].self) { group in
                for client in 0..<Self.clients {
                    group.addTask {
                        var ids: [String] = []
                        for request in 0..<Self.requestsPerClient {
                            // Once a server is dead, clients go to the other one (as a balancer would).
                            let port = isDead.value ? ports[1 - killed] : ports[(client + request) % 2]
                            let body = #"{"request_id":"c\#(client)-r\#(request)","model":"m1","prompt_tokens":50,"max_completion_tokens":50}"#
                            if let response = try? await Self.send(port, "POST", "/v1/budgets/hot/reservations", body),
                               response.status == 201, let id = Self.id(in: response.body) {
                                ids.append(id)
                            }
                            done.withLock { $0 += 1 }
                        }
                        return ids
                    }
                }
                group.addTask {
                    while done.value < Self.clients * Self.requestsPerClient / 3 { try? await Task.sleep(for: .milliseconds(5)) }
                    await servers[killed].kill()
                    isDead.withLock { $0 = true }
                    return []
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
            let budget = try await store.state(of: Budget.self, tenant: "system", stream: Budget.stream("hot"))
            let used = try #require(budget.state.current?.used.tokens)
            #expect(used <= Int64(Self.limit), "oversold: \(used) > \(Self.limit)")
            let versions = try await store.versions(tenant: "system", streams: granted.map(Reservation.stream))
            #expect(granted.allSatisfy { versions[Reservation.stream($0)] == 1 }, "a 2xx reservation is missing from the log")
            #expect(granted.count >= Self.limit / 100 / 2, "only \(granted.count) granted")
            // The log reconciles: every hold on the budget is a reservation in the log.
            let opened = try await store.readStream(tenant: "system", stream: Budget.stream("hot"), limit: 10_000)
                .filter { $0.type == "TokensReserved" }.count
            #expect(used == Int64(opened) * 100)
            #expect(opened >= granted.count)
            _ = await servers[1 - killed].terminate()
        }
    }

    static func send(_ port: Int, _ method: String, _ path: String, _ body: String) async throws -> ChildHTTP.Reply {
        try await ChildHTTP.send(port, key: key, method, path, body)
    }

    static func id(in body: String) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["id"] as? String
    }
}
