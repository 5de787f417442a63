@testable import API
import Domain
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A document's routes as a client drives them.
struct DocumentClient {
    let api: APITest
    let key: String
    let id: String

    static func create(_ api: APITest, key: String, id: String = "handbook", title: String = "The handbook",
                       extra: String = "") async throws -> DocumentClient {
        let created = try await api.send(.post, "/v1/documents", key: key, body: #"{"id":"\#(id)","title":"\#(title)"\#(extra)}"#)
        try #require(created.status == .created, "\(String(buffer: created.body))")
        return DocumentClient(api: api, key: key, id: id)
    }

    /// Commits `text` on `branch` at `head`; returns the response.
    func commit(_ text: String, branch: String = "main", head: String?, extra: String = "") async throws -> TestResponse {
        let headJSON = head.map { "\"\($0)\"" } ?? "null"
        return try await api.send(.post, "/v1/documents/\(id)/commits", key: key,
                                  body: #"{"branch":"\#(branch)","expected_head":\#(headJSON),"content":\#(JSONText.quoted(text)),"mime_type":"text/markdown","message":"edit"\#(extra)}"#)
    }

    /// Commits and returns the new commit's id.
    func commitID(_ text: String, branch: String = "main", head: String?) async throws -> String {
        let response = try await commit(text, branch: branch, head: head)
        try #require(response.status == .created, "\(String(buffer: response.body))")
        return try #require(try json(response)["id"] as? String)
    }

    func content(_ ref: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await api.get("/v1/documents/\(id)/content?ref=\(ref)", key: key, headers: headers)
    }

    func text(_ ref: String) async throws -> String { String(buffer: try await content(ref).body) }

    func events() async throws -> Int { try await api.store.count(tenant: "acme", stream: "document-\(id)") }
}

@Suite("Documents over HTTP") struct DocumentsAPITests {
    @Test func commit_checkout_history_andAStaleHead() async throws {
        try await APITest.run { api in
            let document = try await DocumentClient.create(api, key: try await api.issueKey(tenant: "acme"))
            let first = try await document.commitID("# Handbook\nWelcome.\n", head: nil)
            let second = try await document.commitID("# Handbook\nWelcome, all.\n", head: first)

            let checkout = try await document.content("main")
            #expect(checkout.status == .ok && String(buffer: checkout.body) == "# Handbook\nWelcome, all.\n")
            #expect(checkout.headers[.contentType] == "text/markdown")
            #expect(checkout.headers[.xContentTypeOptions] == "nosniff")
            #expect(checkout.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
            let again = try await api.send(.post, "/v1/documents", key: document.key, body: #"{"id":"handbook","title":"The handbook"}"#)
            #expect(again.status == .ok, "the same creation again changes nothing")
            try expectProblem(try await api.send(.post, "/v1/documents", key: document.key, body: #"{"id":"handbook","title":"Other"}"#),
                              .conflict)
            let etag = try #require(checkout.headers[.eTag])
            #expect(etag == "\"\(ContentHash.hex(Array("# Handbook\nWelcome, all.\n".utf8)))\"")
            #expect(try await document.content("main", headers: [.ifNoneMatch: etag]).status == .notModified)
            #expect(try await document.text(first) == "# Handbook\nWelcome.\n")

            let stale = try await document.commit("lost update", head: first)
            try expectProblem(stale, .conflict)
            #expect(try json(stale)["current_head"] as? String == second)
            #expect(try await document.events() == 3, "nothing of the refused commit is written")

            let history = try json(try await api.get("/v1/documents/handbook/history?limit=1", key: document.key))
            let commits = try #require(history["commits"] as? [[String: Any]])
            #expect(commits.map { $0["id"] as? String } == [second] && history["next"] as? String == second)
            let rest = try json(try await api.get("/v1/documents/handbook/history?after=\(second)", key: document.key))
            #expect((rest["commits"] as? [[String: Any]])?.map { $0["id"] as? String } == [first])
            let shown = try json(try await api.get("/v1/documents/handbook/commits/\(second)", key: document.key))
            #expect(shown["parents"] as? [String] == [first] && (shown["content"] as? [String: Any])?["size"] as? Int == 25)
        }
    }

    @Test func diff_asJSONAndUnified_appliesBack() async throws {
        try await APITest.run { api in
            let document = try await DocumentClient.create(api, key: try await api.issueKey(tenant: "acme"))
            let old = "a\nb\nc\nd\ne\n", new = "a\nB\nc\nd\ne\nf\n"
            let first = try await document.commitID(old, head: nil)
            _ = try await document.commitID(new, head: first)
            let hunks = try json(try await api.get("/v1/documents/handbook/diff?from=\(first)&to=main", key: document.key))
            let list = try #require(hunks["hunks"] as? [[String: Any]])
            #expect(list.count == 2 && list[0]["removed"] as? [String] == ["b\n"] && list[0]["added"] as? [String] == ["B\n"])
            #expect(list[1]["added"] as? [String] == ["f\n"] && list[1]["old_start"] as? Int == 5)
            let unified = try await api.get("/v1/documents/handbook/diff?from=\(first)&to=main", key: document.key,
                                            headers: [.accept: "text/x-diff"])
            #expect(unified.headers[.contentType]?.hasPrefix("text/x-diff") == true)
            #expect(String(buffer: unified.body).contains("-b\n+B\n") && String(buffer: unified.body).contains("+f\n"))
            let words = try json(try await api.get("/v1/documents/handbook/diff?from=\(first)&to=main&granularity=word", key: document.key))
            let firstWords = try #require((words["hunks"] as? [[String: Any]])?.first?["words"] as? [[String: Any]])
            #expect(firstWords.map { $0["kind"] as? String } == ["removed", "added", "equal"])
            #expect(firstWords.map { $0["text"] as? String } == ["b", "B", "\n"])
            try expectProblem(try await api.get("/v1/documents/handbook/diff?from=nope&to=main", key: document.key), .notFound)
            try expectProblem(try await api.get("/v1/documents/handbook/diff?from=main&to=main&granularity=char", key: document.key), .badRequest)
        }
    }

    @Test func merge_clean_conflicting_strategies_andUnrelatedHistories() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            let document = try await DocumentClient.create(api, key: key)
            let base = try await document.commitID("one\ntwo\nthree\nfour\nfive\n", head: nil)
            #expect(try await api.send(.post, "/v1/documents/handbook/branches", key: key,
                                       body: #"{"name":"draft","from":"main"}"#).status == .created)
            let ours = try await document.commitID("ONE\ntwo\nthree\nfour\nfive\n", head: base)
            let theirs = try await document.commitID("one\ntwo\nthree\nfour\nFIVE\n", branch: "draft", head: base)
            let merged = try await api.send(.post, "/v1/documents/handbook/merge", key: key, body: #"{"source":"draft","into":"main"}"#)
            #expect(merged.status == .created, "\(String(buffer: merged.body))")
            #expect(try json(merged)["parents"] as? [String] == [ours, theirs])
            #expect(try await document.text("main") == "ONE\ntwo\nthree\nfour\nFIVE\n")

            let mainHead = try #require(try json(merged)["id"] as? String)
            let left = try await document.commitID("ONE\ntwo\nLEFT\nfour\nFIVE\n", head: mainHead)
            let right = try await document.commitID("one\ntwo\nRIGHT\nfour\nFIVE\n", branch: "draft", head: theirs)
            let before = try await document.events()
            let conflict = try await api.send(.post, "/v1/documents/handbook/merge", key: key, body: #"{"source":"draft","into":"main"}"#)
            try expectProblem(conflict, .conflict)
            let hunk = try #require((try json(conflict)["conflicts"] as? [[String: Any]])?.first)
            #expect((hunk["ours"] as? [String: Any])?["lines"] as? [String] == ["LEFT\n"])
            #expect((hunk["theirs"] as? [String: Any])?["lines"] as? [String] == ["RIGHT\n"])
            #expect((hunk["base"] as? [String: Any])?["lines"] as? [String] == ["three\n"])
            #expect(try await document.events() == before, "a conflicted merge writes nothing")

            let favoured = try await api.send(.post, "/v1/documents/handbook/merge", key: key,
                                              body: #"{"source":"draft","into":"main","strategy":"theirs","expected_head":"\#(left)"}"#)
            #expect(try favoured.status == .created && json(favoured)["parents"] as? [String] == [left, right])
            #expect(try await document.text("main") == "ONE\ntwo\nRIGHT\nfour\nFIVE\n")

            let orphan = try await document.commit("imported\n", branch: "imported", head: nil, extra: #","orphan":true"#)
            #expect(orphan.status == .created, "\(String(buffer: orphan.body))")
            let unrelated = try await api.send(.post, "/v1/documents/handbook/merge", key: key, body: #"{"source":"imported","into":"main"}"#)
            try expectProblem(unrelated, .badRequest)
            #expect(try json(unrelated)["type"] as? String == APIError.typeBase + "unrelated-histories")
            let allowed = try await api.send(.post, "/v1/documents/handbook/merge", key: key,
                                             body: #"{"source":"imported","into":"main","strategy":"ours","allow_unrelated_histories":true}"#)
            #expect(allowed.status == .created, "\(String(buffer: allowed.body))")
            try expectProblem(try await api.send(.post, "/v1/documents/handbook/merge", key: key,
                                                 body: #"{"source":"main","into":"main","strategy":"sideways"}"#), .badRequest)
        }
    }

    @Test func revert_andBlame() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            let document = try await DocumentClient.create(api, key: key)
            let first = try await document.commitID("a\nb\nc\n", head: nil)
            let second = try await document.commitID("a\nB\nc\n", head: first)
            let third = try await document.commitID("a\nB\nc\nd\n", head: second)
            let reverted = try await api.send(.post, "/v1/documents/handbook/revert", key: key,
                                              body: #"{"commit":"\#(second)","branch":"main"}"#)
            #expect(reverted.status == .created, "\(String(buffer: reverted.body))")
            #expect(try await document.text("main") == "a\nb\nc\nd\n")
            let blame = try json(try await api.get("/v1/documents/handbook/blame?ref=\(third)", key: key))
            let lines = try #require(blame["lines"] as? [[String: Any]])
            #expect(lines.map { $0["commit"] as? String } == [first, second, first, third])
            #expect(lines.map { $0["text"] as? String } == ["a\n", "B\n", "c\n", "d\n"])
        }
    }

    @Test func fencedCommit_ofAHolderPausedPastItsTTL_isRefused_andWritesNothing() async throws {
        let time = ManualClock()
        try await APITest.run(configure: { $0.clock = time.clock }) { api in
            let key = try await api.issueKey(tenant: "acme")
            let document = try await DocumentClient.create(api, key: key)
            let base = try await document.commitID("v0\n", head: nil)
            let grantA = try json(try await LocksAPITests.acquire(api, "document:handbook", key: key, owner: "alice", ttlMs: 1_000))
            let tokenA = try #require(grantA["fencing_token"] as? Int)
            time.advance(by: 2)   // A is paused (GC, VM stall) past its TTL
            let grantB = try json(try await LocksAPITests.acquire(api, "document:handbook", key: key, owner: "bob", ttlMs: 30_000))
            let tokenB = try #require(grantB["fencing_token"] as? Int)
            #expect(tokenB > tokenA)
            let byB = try await document.commit("B's work\n", head: base,
                                                extra: #","lock":{"resource":"document:handbook","fencing_token":\#(tokenB)}"#)
            #expect(byB.status == .created, "\(String(buffer: byB.body))")
            let headB = try #require(try json(byB)["id"] as? String)
            let before = try await document.events()
            let byA = try await document.commit("A's late overwrite\n", head: headB,
                                                extra: #","lock":{"resource":"document:handbook","fencing_token":\#(tokenA)}"#)
            try expectProblem(byA, .conflict)
            #expect(try json(byA)["type"] as? String == APIError.typeBase + "lock-stale-token")
            #expect(try await document.events() == before)
            #expect(try await document.text("main") == "B's work\n")
            let stored = try await api.store.client.query("SELECT count(*)::int8 FROM document_contents WHERE size = 19")
            for try await count in stored.decode(Int64.self) { #expect(count == 0, "A's content is not stored") }
        }
    }

    @Test func badInput_is4xx_andWritesNothing() async throws {
        try await APITest.run(configure: { $0.maximumDocumentBytes = 1_000 }) { api in
            let key = try await api.issueKey(tenant: "acme")
            let document = try await DocumentClient.create(api, key: key)
            let head = try await document.commitID("v0\n", head: nil)
            let before = try await document.events()
            let cases: [(TestResponse, HTTPResponse.Status)] = [
                (try await document.commit("x", branch: "bad..name", head: head), .badRequest),
                (try await document.commit("x", branch: "nope", head: head), .notFound),
                (try await document.commit(String(repeating: "x", count: 1_001), head: head), .contentTooLarge),
                (try await document.commit("x", head: String(repeating: "0", count: 64)), .conflict),
                (try await document.commit("x", head: "not-a-commit"), .badRequest),
                (try await api.send(.post, "/v1/documents/handbook/commits", key: key,
                                    body: #"{"expected_head":"\#(head)","content_base64":"/w==","mime_type":"text/plain"}"#), .badRequest),
                (try await api.send(.post, "/v1/documents/handbook/commits", key: key,
                                    body: #"{"expected_head":"\#(head)","content":"x","mime_type":"nonsense"}"#), .badRequest),
                (try await api.send(.post, "/v1/documents/handbook/branches", key: key, body: #"{"name":"a b","from":"main"}"#), .badRequest),
                (try await api.send(.post, "/v1/documents/handbook/branches", key: key, body: #"{"name":"x","from":"nope"}"#), .notFound),
                (try await api.send(.post, "/v1/documents/handbook/tags", key: key, body: #"{"name":"v1","ref":"nope"}"#), .notFound),
                (try await api.send(.delete, "/v1/documents/handbook/branches/main", key: key), .conflict),
                (try await api.send(.post, "/v1/documents", key: key, body: #"{"id":"bad id","title":"x"}"#), .badRequest),
            ]
            for (response, status) in cases { try expectProblem(response, status) }
            #expect(try await document.events() == before)
            try expectProblem(try await document.commit("x", branch: "new", head: nil, extra: #","orphan":true,"merge_parent":"\#(head)""#),
                              .badRequest)
            // A merge whose result would be over the limit is refused too.
            let limits = try await DocumentClient.create(api, key: key, id: "limits")
            let root = try await limits.commitID("v0\n", head: nil)
            #expect(try await api.send(.post, "/v1/documents/limits/branches", key: key, body: #"{"name":"side","from":"main"}"#)
                .status == .created)
            let big = String(repeating: "y", count: 600)
            _ = try await limits.commitID("v0\n" + big + "\n", head: root)
            _ = try await limits.commitID(big + "\nv0\n", branch: "side", head: root)
            let tooBig = try await api.send(.post, "/v1/documents/limits/merge", key: key, body: #"{"source":"side","into":"main"}"#)
            try expectProblem(tooBig, .contentTooLarge)
            #expect(try await limits.text("main") == "v0\n" + big + "\n")
            // A binary commit of any bytes is fine under a binary MIME type.
            let binary = try await api.send(.post, "/v1/documents/handbook/commits", key: key,
                                            body: #"{"expected_head":"\#(head)","content_base64":"/wAB","mime_type":"image/png"}"#)
            #expect(try binary.status == .created && (json(binary)["content"] as? [String: Any])?["modality"] as? String == "image")
        }
    }

    @Test func everyRoute_of_anotherTenantsDocument_is404() async throws {
        try await APITest.run { api in
            let document = try await DocumentClient.create(api, key: try await api.issueKey(tenant: "acme"))
            let head = try await document.commitID("secret\n", head: nil)
            let other = try await api.issueKey(tenant: "globex")
            let base = "/v1/documents/handbook"
            let responses = [
                try await api.get(base, key: other), try await api.get("\(base)/content", key: other),
                try await api.get("\(base)/commits/\(head)", key: other), try await api.get("\(base)/history", key: other),
                try await api.get("\(base)/diff?from=main&to=main", key: other), try await api.get("\(base)/blame", key: other),
                try await api.get("\(base)/events", key: other),
                try await api.send(.post, "\(base)/commits", key: other,
                                   body: #"{"expected_head":"\#(head)","content":"x","mime_type":"text/plain"}"#),
                try await api.send(.post, "\(base)/branches", key: other, body: #"{"name":"x","from":"main"}"#),
                try await api.send(.post, "\(base)/tags", key: other, body: #"{"name":"x","ref":"main"}"#),
                try await api.send(.post, "\(base)/merge", key: other, body: #"{"source":"main","into":"main"}"#),
                try await api.send(.post, "\(base)/revert", key: other, body: #"{"commit":"\#(head)","branch":"main"}"#),
                try await api.send(.delete, "\(base)/branches/x", key: other),
            ]
            for response in responses { try expectProblem(response, .notFound) }
            #expect(try await api.store.count(tenant: "globex", stream: "document-handbook") == 0)
        }
    }

    @Test func thousandSmallEdits_storeDeltas_andEveryVersionChecksOut() async throws {
        try await APITest.run(configure: { $0.maximumBodySize = 1 << 20 }) { api in
            let document = try await DocumentClient.create(api, key: try await api.issueKey(tenant: "acme"))
            var lines = (0..<2_000).map { "line \($0): the quick brown fox jumps over the lazy dog\n" }
            var head: String? = nil
            var versions: [(String, String)] = []
            for edit in 0..<100 {
                lines[(edit * 37) % lines.count] = "edited \(edit)\n"
                let text = lines.joined()
                head = try await document.commitID(text, head: head)
                versions.append((head!, text))
            }
            let size = versions.last!.1.utf8.count
            let rows = try await api.store.client.query("SELECT sum(length(data))::int8, max(depth)::int8 FROM document_contents")
            for try await (stored, depth) in rows.decode((Int64, Int64).self) {
                #expect(stored < Int64(size) * 3, "100 edits of \(size) bytes stored in \(stored) bytes")
                #expect(depth == 99)
            }
            for (id, text) in versions.shuffled().prefix(20) { #expect(try await document.text(id) == text) }
        }
    }
}

@Suite("Document merges after criss-cross merges") struct CrissCrossMergeTests {
    /// Two branches that merged each other, then each undid one of the other's changes:
    /// only the virtual base (their two merge bases merged) sees both undos as changes.
    /// Either merge base alone takes one undo for no change and brings the edit back.
    @Test func merge_withTwoMergeBases_usesTheirMergeAsTheBase() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            let document = try await DocumentClient.create(api, key: key)
            func text(_ lines: [String]) -> String { lines.map { $0 + "\n" }.joined() }
            var lines = (1...10).map { "l\($0)" }
            let base = try await document.commitID(text(lines), head: nil)
            #expect(try await api.send(.post, "/v1/documents/handbook/branches", key: key,
                                       body: #"{"name":"draft","from":"main"}"#).status == .created)
            lines[0] = "A"
            let m1 = try await document.commitID(text(lines), head: base)
            let d1 = try await document.commitID(text((1...9).map { "l\($0)" } + ["Z"]), branch: "draft", head: base)
            func merge(_ source: String, into branch: String) async throws -> String {
                let merged = try await api.send(.post, "/v1/documents/handbook/merge", key: key,
                                                body: #"{"source":"\#(source)","into":"\#(branch)"}"#)
                try #require(merged.status == .created, "\(String(buffer: merged.body))")
                return try #require(try json(merged)["id"] as? String)
            }
            let m2 = try await merge(d1, into: "main")
            let d2 = try await merge(m1, into: "draft")
            let both = text(["A"] + (2...9).map { "l\($0)" } + ["Z"])
            #expect(try await document.text(m2) == both)
            #expect(try await document.text(d2) == both)
            // main undoes draft's change to line 10; draft undoes main's change to line 1.
            _ = try await document.commitID(text(["A"] + (2...10).map { "l\($0)" }), head: m2)
            _ = try await document.commitID(text((1...9).map { "l\($0)" } + ["Z"]), branch: "draft", head: d2)
            _ = try await merge("draft", into: "main")
            #expect(try await document.text("main") == text((1...10).map { "l\($0)" }), "both undos stand")
        }
    }
}
