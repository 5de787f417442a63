import Domain
@testable import EventStore
import EventStoreTesting
import Foundation
import Logging
import PostgresNIO
import Testing

/// Seals over a real log: each seal signed and matching the log, every event provably in
/// one; and the four ways an owner of the table could rewrite history, each detected and
/// named once sealed.
@Suite struct SealTests {
    static let key = try! SealSigningKey(base64: SealSigningKey.generateText())

    /// Two tenants, four streams, 60 events, sealed.
    static func sealedLog(_ store: EventStore, _ url: String) async throws {
        try await withSealer(store, databaseURL: url, key: key) {
            try await appendConcurrently(store, writers: 4, perWriter: 15)
            try await waitUntilSealed(store)
        }
    }

    @Test func everySeal_isSignedAndMatchesTheLog_andEveryEventsInclusionVerifies() async throws {
        try await TestDatabase.withDatabase { store, url in
            try await Self.sealedLog(store, url)
            let report = try await store.verifySeals(with: Self.key.verifyingKey)
            #expect(report.isIntact, "\(report.failure ?? "")")
            #expect(report.seals >= 2 && report.sealedEvents >= 60, "\(report.seals) seals of \(report.sealedEvents) events")
            let seals = try await store.recordedSeals()
            for (earlier, later) in zip(seals, seals.dropFirst()) {
                let proof = try await store.sealProver.consistencyProof(oldSize: earlier.treeSize, newSize: later.treeSize)
                #expect(Merkle.verifyConsistency(oldSize: earlier.treeSize, newSize: later.treeSize, oldRoot: Hex.decode(earlier.rootHash)!,
                                                 newRoot: Hex.decode(later.rootHash)!, proof: proof))
            }
            for event in try await store.readLog(after: .start, filter: LogFilter(tenant: "acme"), limit: 100) {
                let leaf = try #require(try await store.sealedLeaf(of: event.id, tenant: "acme"))
                let seal = try #require(try await store.storedSeal(coveringLeaf: leaf.index))
                let path = try await store.sealProver.inclusionPath(index: leaf.index, size: seal.record.treeSize)
                #expect(Merkle.verifyInclusion(leafHash: Merkle.leaf(event.hash), index: leaf.index, size: seal.record.treeSize,
                                               path: path, root: Hex.decode(seal.record.rootHash)!))
            }
            #expect(try await store.sealedLeaf(of: try #require(try await store.readLog(after: .start, filter: LogFilter(tenant: "acme"), limit: 1).first).id,
                                                tenant: "globex") == nil, "another tenant's event has no proof here")
            let stranger = try SealSigningKey(base64: SealSigningKey.generateText())
            #expect(try await store.verifySeals(with: stranger.verifyingKey).failure?.contains("not the expected key") == true)
        }
    }

    @Test func aSealerThatStartsAgain_continuesTheSameTree() async throws {
        try await TestDatabase.withDatabase { store, url in
            try await Self.sealedLog(store, url)
            let first = try #require(try await store.lastStoredSeal())
            try await withSealer(store, databaseURL: url, key: Self.key) {
                try await appendConcurrently(store, writers: 2, perWriter: 5)
                try await waitUntilSealed(store)
            }
            #expect(try #require(try await store.lastStoredSeal()).record.sequence > first.record.sequence)
            #expect(try await store.verifySeals(with: Self.key.verifyingKey).isIntact)
        }
    }

    enum Tampering: String, CaseIterable, Sendable {
        case byteChanged, streamRewrittenConsistently, streamTailDropped, eventsReordered
    }

    @Test(arguments: Tampering.allCases)
    func tampering_isDetected_andTheEventNamed(_ tampering: Tampering) async throws {
        try await TestDatabase.withDatabase { store, url in
            try await Self.sealedLog(store, url)
            let stream = try await store.readStream(tenant: "acme", stream: "lock-w0")
            let victim = stream[2]
            switch tampering {
            case .byteChanged:
                try await Self.tamper(store, "UPDATE events SET data = jsonb_set(data, '{holder}', '\"mallory\"') WHERE event_id = '\(victim.id)'")
                let chains = try await store.verify()
                #expect(chains.breaks.map(\.streamVersion) == [victim.streamVersion] && chains.breaks.map(\.stream) == ["lock-w0"],
                        "the chain names it: \(chains.breaks)")
                return
            case .streamRewrittenConsistently:
                try await Self.tamper(store, "UPDATE events SET data = jsonb_set(data, '{holder}', '\"mallory\"') WHERE event_id = '\(victim.id)'")
                try await Self.rechain(store, stream: "lock-w0", from: victim.streamVersion)
            case .streamTailDropped:
                try await Self.tamper(store, "DELETE FROM events WHERE tenant_id = 'acme' AND stream_id = 'lock-w0' AND stream_version >= \(victim.streamVersion)")
            case .eventsReordered:
                let other = try await store.readStream(tenant: "globex", stream: "lock-w1")[2]
                // Two events of different transactions trade places in cursor order.
                try await Self.tamper(store, """
                    UPDATE events SET tx_id = CASE WHEN event_id = '\(victim.id)' THEN '\(other.cursor.transaction)'::xid8
                                                   ELSE '\(victim.cursor.transaction)'::xid8 END
                     WHERE event_id IN ('\(victim.id)', '\(other.id)')
                    """)
            }
            #expect(try await store.verify().isIntact, "today's verify does not see it")
            let report = try await store.verifySeals(with: Self.key.verifyingKey)
            let failure = try #require(report.failure, "the seals see it")
            #expect(failure.contains(victim.id.uuidString) || failure.contains(victim.id.uuidString.lowercased())
                    || failure.contains("lock-w0 version \(victim.streamVersion)"), "names the event: \(failure)")
        }
    }

    /// Runs `sql` with the append-only trigger disabled, as the table's owner could.
    static func tamper(_ store: EventStore, _ sql: String) async throws {
        try await store.client.withConnection { connection in
            try await connection.query("ALTER TABLE events DISABLE TRIGGER events_append_only", logger: .init(label: "t"))
            for statement in sql.split(separator: ";") {
                try await connection.query(PostgresQuery(unsafeSQL: String(statement)), logger: .init(label: "t"))
            }
            try await connection.query("ALTER TABLE events ENABLE TRIGGER events_append_only", logger: .init(label: "t"))
        }
    }

    /// Recomputes the hash chain of `stream` from version `from`, as a forger would.
    static func rechain(_ store: EventStore, stream: String, from version: Int64) async throws {
        let events = try await store.readStream(tenant: "acme", stream: stream)
        var previous = events[Int(version) - 2].hash
        for event in events where event.streamVersion >= version {
            let hash = HashChain.link(previous: previous, event)
            try await tamper(store, "UPDATE events SET hash = '\\x\(Hex.encode(hash))' WHERE event_id = '\(event.id)'")
            previous = hash
        }
    }
}

/// `eventloom verify --seals` as an auditor runs it: exit 0 on a sealed log; exit 1 and
/// the event named once a stream is rewritten consistently.
@Suite struct VerifySealsCommandTests {
    @Test func verifySeals_passesOnASealedLog_andNamesARewrittenEvent() async throws {
        try await TestDatabase.withDatabase { store, url in
            try await SealTests.sealedLog(store, url)
            let arguments = ["verify", "--seals", "--database-url", url, "--seal-public-key", SealTests.key.verifyingKey.hex]
            let intact = try await run(try EventloomProcess.executable().path, arguments)
            #expect(intact.status == 0 && intact.output.contains("every seal holds"), "\(intact.output)")

            let victim = try await store.readStream(tenant: "acme", stream: "lock-w2")[4]
            try await SealTests.tamper(store, "UPDATE events SET data = jsonb_set(data, '{holder}', '\"mallory\"') WHERE event_id = '\(victim.id)'")
            try await SealTests.rechain(store, stream: "lock-w2", from: victim.streamVersion)
            let broken = try await run(try EventloomProcess.executable().path, arguments)
            #expect(broken.status == 1, "\(broken.output)")
            #expect(broken.output.contains("BROKEN seal") && broken.output.contains(victim.id.uuidString.lowercased()), "\(broken.output)")
            #expect(broken.output.contains("every chain intact"), "the chains alone pass: \(broken.output)")

            let missingKey = try await run(try EventloomProcess.executable().path, ["verify", "--seals", "--database-url", url])
            #expect(missingKey.status != 0 && missingKey.output.contains("--seals needs the seals' public key"), "\(missingKey.output)")
        }
    }
}
