import API
import Domain
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Stream state as of") struct StreamStateTests {
    @Test func lockState_now_asOfAVersion_andAsOfATime() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            let locks = CommandHandler(store: api.store, decider: Lock.self)
            let owner = String(repeating: "0f", count: 32)
            _ = try await locks.handle(.acquire(LockClaim(owner: "ci-1", ownerTokenSHA256: owner, ttl: 60), now: t0),
                                       tenant: "acme", stream: "lock-deploy")
            let betweenWrites = Date()
            try await Task.sleep(for: .milliseconds(20))
            _ = try await locks.handle(.release(ownerTokenSHA256: owner, now: t0 + 5), tenant: "acme", stream: "lock-deploy")

            let now = try json(try await api.get("/v1/streams/lock-deploy/state", key: key))
            #expect(now["version"] as? Int == 2 && (now["state"] as? [String: Any])?["status"] as? String == "free")
            let first = try json(try await api.get("/v1/streams/lock-deploy/state?as_of_version=1", key: key))
            let held = try #require(first["state"] as? [String: Any])
            #expect(first["version"] as? Int == 1 && held["status"] as? String == "held" && held["holder"] as? String == "ci-1")
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let time = formatter.string(from: betweenWrites)
            let byTime = try json(try await api.get("/v1/streams/lock-deploy/state?as_of_time=\(time)", key: key))
            #expect(byTime["version"] as? Int == 1)
            try expectProblem(try await api.get("/v1/streams/lock-deploy/state?as_of_version=1&as_of_time=\(time)", key: key),
                              .badRequest)
        }
    }

    @Test func anotherTenantsStream_or_aStreamWithoutAnAggregate_is404() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            try await api.append(tenant: "globex", stream: "lock-theirs")
            let cursor = try await api.store.append(tenant: "acme", [StreamAppend(
                stream: "misc-1", expected: .any, events: [NewEvent(type: "Thing", data: "{}")])]).lastCursor
            _ = cursor
            try expectProblem(try await api.get("/v1/streams/lock-theirs/state", key: key), .notFound)
            try expectProblem(try await api.get("/v1/streams/misc-1/state", key: key), .notFound)
        }
    }
}
