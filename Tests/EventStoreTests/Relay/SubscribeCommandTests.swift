import EventStore
import EventStoreTesting
import Foundation
import NATSTesting
import Testing

@Suite("eventloom events subscribe")
struct SubscribeCommandTests {
    @Test func subscribe_printsEachRelayedEventOfItsSubjectAsAJSONLine_andResumesWithItsDurable() async throws {
        try await TestDatabase.withDatabase { store, databaseURL in
            try await TestNATSServer.withServer { server in
                try await appendConcurrently(store, writers: 2, perWriter: 10)
                try await withRelay(store, databaseURL: databaseURL, natsURL: server.url) { relay in
                    let log = try await wholeLog(store)
                    try await waitUntilPublished(relay, log.last!.cursor)
                    let acme = log.filter { $0.tenant == "acme" }
                    let executable = try EventloomProcess.executable().path
                    let arguments = ["events", "subscribe", "--nats-url", server.url, "--durable", "cli",
                                     "--subject", "eventloom.acme.>"]
                    let first = try await run(executable, arguments + ["--count", "4"])
                    let rest = try await run(executable, arguments + ["--count", "\(acme.count - 4)"])
                    #expect(first.status == 0 && rest.status == 0, "\(first.output)\(rest.output)")
                    let lines = (first.output + rest.output).split(separator: "\n").map(String.init)
                    let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
                    #expect(objects.map { $0["event_id"] as? String } == acme.map { $0.id.uuidString.lowercased() })
                    #expect(objects.map { $0["cursor"] as? String } == acme.map { $0.cursor.description })
                    #expect(objects.allSatisfy { $0["subject"] as? String == "eventloom.acme.lock.LockAcquired" })
                    let holders = objects.map { ($0["data"] as? [String: Any])?["holder"] as? String }
                    let expected = try acme.map {
                        (try JSONSerialization.jsonObject(with: Data($0.data.utf8)) as? [String: Any])?["holder"] as? String
                    }
                    #expect(holders == expected)
                }
            }
        }
    }

    @Test func subscribe_withASubjectOutsideTheStream_isRefused() async throws {
        let result = try await run(try EventloomProcess.executable().path,
                                   ["events", "subscribe", "--durable", "x", "--subject", "other.>"])
        #expect(result.status != 0)
        #expect(result.output.contains("--subject must be"))
    }
}
