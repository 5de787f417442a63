import Domain
@testable import EventStore
import EventStoreTesting
import Foundation
import Testing

/// The content store on a real database: skip-delta chains read back exactly, the same
/// bytes are kept once, and damaged content is refused, never served.
@Suite struct ContentStoreTests {
    /// Writes `texts` as a line of edits (each on the one before); their hashes.
    static func store(_ texts: [[UInt8]], in contents: ContentStore, scope: ContentScope) async throws -> [[UInt8]] {
        var previous: [UInt8]?
        var hashes: [[UInt8]] = []
        for text in texts {
            let write = try await contents.prepare(text, scope: scope, previous: previous)
            try await contents.store.withTransaction { try await contents.write(write, on: $0) }
            previous = write.sha256
            hashes.append(write.sha256)
        }
        return hashes
    }

    static func versions(_ count: Int) -> [[UInt8]] {
        var lines = (0..<500).map { "paragraph \($0) of the handbook\n" }
        return (0..<count).map { edit in
            lines[(edit * 31) % lines.count] = "edit \(edit)\n"
            return Array(lines.joined().utf8)
        }
    }

    @Test func aLineOfEdits_storesSkipDeltas_andEveryVersionReadsBack() async throws {
        try await TestDatabase.withStore { store in
            let contents = ContentStore(store: store, cachedContents: 0)
            let scope = ContentScope(tenant: "acme")
            let texts = Self.versions(70)
            let hashes = try await Self.store(texts, in: contents, scope: scope)
            for (text, hash) in zip(texts, hashes).reversed() { #expect(try await contents.content(hash, scope: scope) == text) }
            let rows = try await store.client.query("SELECT depth, base IS NULL, length(data) FROM document_contents ORDER BY depth")
            var depths: [Int32] = []
            var stored = 0
            for try await (depth, isFull, length) in rows.decode((Int32, Bool, Int32).self) {
                depths.append(depth)
                stored += Int(length)
                #expect(isFull == (depth == 0))
            }
            #expect(depths == Array(0..<70).map(Int32.init))
            #expect(stored < texts[0].count * 3, "70 versions of \(texts[0].count) bytes kept in \(stored)")
            // Version 69 (0b1000101) is a delta on 68, on 64, on the full version 0.
            let base = try await store.client.query("""
                SELECT b.depth FROM document_contents c JOIN document_contents b ON b.sha256 = c.base WHERE c.sha256 = \(ContentStore.bytea(hashes[69]))
                """)
            for try await depth in base.decode(Int32.self) { #expect(depth == 68) }
        }
    }

    @Test func theSameBytes_areKeptOnce_perScope() async throws {
        try await TestDatabase.withStore { store in
            let contents = ContentStore(store: store)
            let text = Array("same\n".utf8)
            _ = try await Self.store([text, text], in: contents, scope: ContentScope(tenant: "acme"))
            _ = try await Self.store([text], in: contents, scope: ContentScope(tenant: "acme", privateTo: "u-ann"))
            #expect(try await contents.content(ContentHash.of(text), scope: ContentScope(tenant: "globex")) == nil)
            let rows = try await store.client.query("SELECT count(*)::int8 FROM document_contents")
            for try await count in rows.decode(Int64.self) { #expect(count == 2) }
        }
    }

    @Test func damagedContent_isRefused() async throws {
        try await TestDatabase.withStore { store in
            let contents = ContentStore(store: store, cachedContents: 0)
            let scope = ContentScope(tenant: "acme")
            let hashes = try await Self.store(Self.versions(3), in: contents, scope: scope)
            try await store.client.query("UPDATE document_contents SET data = set_byte(data, 20, 65) WHERE depth = 0")
            for hash in hashes {
                let error = await #expect(throws: EventStoreError.self) { try await contents.content(hash, scope: scope) }
                #expect(error?.code == .internalError)
            }
        }
    }
}
