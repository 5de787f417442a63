@testable import API
import Domain
import EventStore
import EventStoreTesting
import Foundation
import HTTPTypes
import Testing

/// A version follows the refs its sources name: a commit that moves a ref queues a task
/// for the new content, and once it succeeds the document is searched by its new chunks
/// only; a ref moved back to content embedded before makes that content's task searched again.
@Suite("Sources that move") struct SourceRefAPITests {
    @Test func aCommitOnASourcesBranch_queuesATask_itsChunksReplaceTheOldOnes_andARevertBringsThemBack() async throws {
        try await APITest.run(documents: true, ingestion: true) { api in
            let key = try await api.issueKey(tenant: "acme")
            let old = SearchAPITests.vectors(3, dimension: 4, seed: 1)
            try await SearchAPITests.index(api, key: key, tenant: "acme", vectors: old)
            let document = try json(try await api.send(.get, "/v1/documents/handbook", key: key))
            let head = try #require((document["branches"] as? [[String: Any]])?.first { $0["name"] as? String == "main" }?["head"] as? String)
            let moved = try await DocumentClient(api: api, key: key, id: "handbook").commitID("the handbook, rewritten\n", head: head)

            // No call queues it: the serving process sees the branch move and queues the new content.
            let (task, token, _, commit) = try await IndexErasureAPITests.claim(api, key: key, version: 1)
            #expect(commit == moved)
            let new = SearchAPITests.vectors(2, dimension: 4, seed: 5)
            try await IndexErasureAPITests.upload(api, key: key, task: task, token: token, vectors: new, base64: true)
            let done = try await api.send(.post, "/v1/ingestion/tasks/\(task)/complete", key: key, body: #"{"fencing_token":\#(token)}"#)
            try #require(done.status == .ok, "\(String(buffer: done.body))")
            let position = try #require(try json(done)["position"] as? String)

            // Near the old vectors or the new, only the new commit's two chunks are found.
            for query in [old[0], new[0]] {
                let hits = try json(try await SearchAPITests.search(api, key: key, vector: query, k: 10,
                                                                    extra: #","consistent_with":"\#(position)""#))["hits"] as? [[String: Any]] ?? []
                #expect(hits.count == 2)
                #expect(hits.allSatisfy { $0["commit_id"] as? String == moved })
            }
            // A fold of the log gives the same: the rebuilt copy hides the old chunks too.
            let rebuild = try await api.post("/v1/projections/search/rebuild", key: adminKey, body: "")
            #expect(rebuild.status == .accepted)
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "the rebuilt copy swapped in") {
                let list = try json(try await api.get("/v1/projections", key: key))["projections"] as? [[String: Any]] ?? []
                return list.first { $0["name"] as? String == "search" }?["rebuild"] == nil
            }
            let after = try json(try await SearchAPITests.search(api, key: key, vector: old[0], k: 10))["hits"] as? [[String: Any]] ?? []
            #expect(after.map { $0["commit_id"] as? String } == [moved, moved])
            // The branch moves back to the first content: its task, embedded already, is searched again.
            let reverted = try await DocumentClient(api: api, key: key, id: "handbook").commitID("text of acme\n", head: moved)
            try await waitUntil(timeout: TestDatabase.horizonTimeout, "the first content searched again") {
                let hits = try json(try await SearchAPITests.search(api, key: key, vector: old[0], k: 10))["hits"] as? [[String: Any]] ?? []
                return hits.count == 3 && hits.allSatisfy { $0["commit_id"] as? String == reverted }
            }
            // Nothing more is queued: the version has a task for what the branch names.
            try await Task.sleep(for: .seconds(3))
            let build = try json(try await api.send(.get, "/v1/indexes/kb/versions/1/build", key: key))
            #expect(build["tasks"] as? Int == 2)
            #expect(build["succeeded"] as? Int == 2)
            let again = try json(try await SearchAPITests.search(api, key: key, vector: new[0], k: 10))["hits"] as? [[String: Any]] ?? []
            #expect(again.map { $0["commit_id"] as? String } == [reverted, reverted, reverted])
        }
    }
}
