@testable import API
import Domain
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The `documents` read model over HTTP: listing and search, private documents, erasure.
@Suite("Documents read model") struct DocumentsReadModelTests {
    @Test func list_searchesByTitleAndAttributes_andHidesOthersPrivateDocuments() async throws {
        try await APITest.run(documents: true) { api in
            let admin = try await api.issueKey(tenant: "acme")
            let ann = try await api.userKey(admin: admin, user: "u-ann")
            let bob = try await api.userKey(admin: admin, user: "u-bob")
            let handbook = try await DocumentClient.create(api, key: admin, id: "handbook",
                                                           extra: #","attributes":{"team":"ops","lang":"en"}"#)
            _ = try await handbook.commitID("# Handbook\n", head: nil)
            _ = try await DocumentClient.create(api, key: admin, id: "runbook", title: "On-call runbook", extra: #","attributes":{"team":"sre"}"#)
            let diary = try await DocumentClient.create(api, key: ann, id: "diary", title: "Ann's diary", extra: #","private":true"#)
            let written = try await diary.commit("dear diary\n", head: nil)
            let position = try #require(written.headers[.eventloomPosition])

            func ids(_ query: String, key: String) async throws -> [String] {
                let page = try json(try await api.get("/v1/documents?consistent_with=\(position)\(query)", key: key))
                return try #require(page["documents"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            }
            #expect(try await ids("", key: admin) == ["diary", "handbook", "runbook"])
            #expect(try await ids("&title=HAND", key: admin) == ["handbook"])
            #expect(try await ids("&attribute.team=sre", key: admin) == ["runbook"])
            #expect(try await ids("&attribute.team=ops&attribute.lang=en", key: admin) == ["handbook"])
            #expect(try await ids("", key: ann) == ["diary", "handbook", "runbook"])
            #expect(try await ids("", key: bob) == ["handbook", "runbook"], "another user's private document is not listed")
            #expect(try await ids("&limit=1&after=handbook", key: admin) == ["runbook"])
            try expectProblem(try await api.get("/v1/documents/diary", key: bob), .notFound)
            try expectProblem(try await api.get("/v1/documents/diary/content", key: bob), .notFound)
            #expect(try await api.get("/v1/documents/diary/content", key: ann).status == .ok)
        }
    }

    @Test func erasingTheOwner_deletesPrivateContent_andBlanksTheReadModel() async throws {
        try await APITest.run(documents: true) { api in
            let admin = try await api.issueKey(tenant: "acme")
            let ann = try await api.userKey(admin: admin, user: "u-ann")
            let diary = try await DocumentClient.create(api, key: ann, id: "diary", extra: #","private":true"#)
            _ = try await diary.commitID("my secret\n", head: nil)
            let erased = try await api.send(.post, "/v1/subjects/u-ann/erasure", key: admin, body: #"{"reason":"request 7"}"#)
            #expect(erased.status == .ok, "\(String(buffer: erased.body))")
            let position = try #require(try json(erased)["position"] as? String)
            try expectProblem(try await api.get("/v1/documents/diary/content", key: admin), .gone)
            let page = try json(try await api.get("/v1/documents?consistent_with=\(position)", key: admin))
            let row = try #require((page["documents"] as? [[String: Any]])?.first)
            #expect(row["title"] as? String == EventStore.erasedText)
            let stored = try await api.store.client.query("SELECT count(*)::int8 FROM document_contents")
            for try await count in stored.decode(Int64.self) { #expect(count == 0) }
        }
    }
}
