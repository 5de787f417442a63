import API
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The audit projection has applied `cursor` (read from the catalog, not through the cache).
func waitUntilProjectedThroughAPI(_ api: APITest, _ cursor: Cursor) async throws {
    try await waitUntil(timeout: TestDatabase.horizonTimeout, "audit projected") {
        let body = try json(try await api.get("/v1/projections", key: adminKey))
        let audit = (body["projections"] as? [[String: Any]])?.first { $0["name"] as? String == "audit" }
        return (audit?["cursor"] as? String).flatMap(Cursor.init).map { $0 >= cursor } ?? false
    }
}

@Suite("Audit page cache") struct AuditCacheTests {
    static func entries(_ response: TestResponse) throws -> [[String: Any]] {
        try #require(try json(response)["entries"] as? [[String: Any]])
    }

    /// A repeated page is served from memory, but never once the read model has moved,
    /// and never another tenant's.
    @Test func aRepeatedPage_followsTheReadModel_andStaysWithinItsTenant() async throws {
        try await APITest.run { api in
            let acme = try await api.issueKey(tenant: "acme", roles: ["auditor"])
            let globex = try await api.issueKey(tenant: "globex", roles: ["auditor"])
            try await api.append(tenant: "acme", stream: "lock-a", count: 3)
            let globexLast = try await api.append(tenant: "globex", stream: "lock-g", count: 1)
            let page = "/v1/audit?category=lock&limit=10"
            // consistent_with reads the database after the wait; the plain page then agrees.
            let fresh = try await api.get(page + "&consistent_with=\(globexLast)", key: acme)
            #expect(try Self.entries(fresh).count == 3)
            for _ in 0..<3 { #expect(try Self.entries(try await api.get(page, key: acme)).count == 3) }
            let theirs = try Self.entries(try await api.get(page, key: globex))
            #expect(theirs.count == 1 && theirs.allSatisfy { $0["resource"] as? String == "lock-g" })
            // One more event: after a read that waited for it, the plain page never goes back.
            let last = try await api.append(tenant: "acme", stream: "lock-a", count: 1)
            #expect(try Self.entries(try await api.get(page + "&consistent_with=\(last)", key: acme)).count == 4)
            for _ in 0..<3 { #expect(try Self.entries(try await api.get(page, key: acme)).count == 4) }
            // Another event, no waiting read: once projected, the page shows it within a poll or two.
            let newest = try await api.append(tenant: "acme", stream: "lock-a", count: 1)
            try await waitUntilProjectedThroughAPI(api, newest)
            try await waitUntil(timeout: .seconds(2), "the cached page replaced") {
                try Self.entries(try await api.get(page, key: acme)).count == 5
            }
        }
    }
}
