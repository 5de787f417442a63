import AsyncHTTPClient
import EventStore
import EventStoreTesting
import Foundation
import Logging
import NATSTesting
import NIOCore
import PostgresNIO
import Testing

/// PostgreSQL restarted under load (fast shutdown, 5 s down), with `serve`, `project` and
/// `relay` as processes of their own: every reader of the log (each projection runner, the
/// relay, the live SSE follower, the expiry reactor) catches up within 5 s of the
/// database's return, the read models match the log, and each process stops on SIGTERM
/// within 10 s.
@Suite("Database restart") struct DatabaseRestartTests {
    static let adminKey = "restart-test-admin-key-0123456789abcdef"
    static let logger = Logger(label: "restart-test")

    @Test func restartUnderLoad_everyReaderCatchesUpWithinFiveSeconds_andEveryProcessStopsOnSIGTERM() async throws {
        try await PrivateCluster.with(port: try FreePort.find()) { cluster in
            try await TestNATSServer.withServer { nats in
                let migrate = try EventloomProcess(name: "migrate", arguments: ["migrate", "--database-url", cluster.url])
                try #require(await migrate.exitStatus() == 0, "\(migrate.lines.suffix(10))")
                let port = try FreePort.find()
                let processes = try [
                    EventloomProcess(name: "serve", arguments: ["serve", "--database-url", cluster.url,
                                                                "--http-addr", "127.0.0.1:\(port)", "--admin-key", Self.adminKey]),
                    EventloomProcess(name: "project", arguments: ["project", "--database-url", cluster.url]),
                    EventloomProcess(name: "relay", arguments: ["relay", "--database-url", cluster.url, "--nats-url", nats.url]),
                ]
                try await waitUntil(timeout: .seconds(60), "server listening") { (try? RawSocket(port: port)) != nil }
                var configuration = try DatabaseURL.configuration(cluster.url)
                configuration.options.maximumConnections = 4
                try await TestDatabase.withClient(configuration) { client in
                    let store = EventStore(client: client, logger: Self.logger, keyring: TestDatabase.testKeyring)
                    try await Self.run(store, cluster: cluster, port: port, processes: processes)
                }
            }
        }
    }

    private static func run(_ store: EventStore, cluster: PrivateCluster, port: Int, processes: [EventloomProcess]) async throws {
        let key = try await issueKey(port: port)
        let started = try await send(port, key, "POST", "/v1/sessions", #"{"session_id":"s1","owner":"u1","title":"Load","config":{"model":"m"}}"#)
        try #require(started.status == 201, "\(started.body)")
        let seen = Locked<Set<String>>([])
        let stop = Locked(false)
        let stoppedAt = Locked<Date?>(nil)
        let back = try await withThrowingTaskGroup(of: ContinuousClock.Instant?.self) { group in
            group.addTask {   // a live SSE client of `serve`: its one log follower must recover too
                try? await SSEClient.read(port: port, path: "/v1/events/stream", key: key) { item in
                    if case .event(let id, _, _) = item { seen.withLock { _ = $0.insert(id) } }
                    return !Task.isCancelled
                }
                return nil
            }
            let appended = Locked(0)
            let messages = Locked(0)
            group.addTask {   // load: log appends through the API (a key per request), never from this
                // process's own pool: a statement the test itself sent on a connection the restart
                // killed could leave the test waiting (docs/projections.md, "A database restart")
                var index = 0
                while !stop.value {
                    let reply = try? await send(port, Self.adminKey, "POST", "/v1/keys",
                                                #"{"tenant":"acme","name":"load-\#(index)","roles":["reader"]}"#)
                    if reply?.status == 201 { appended.withLock { $0 += 1 } }
                    index += 1
                    try await Task.sleep(for: .milliseconds(5))
                }
                return nil
            }
            group.addTask {   // load: session messages through the API
                var index = 0
                while !stop.value {
                    let reply = try? await send(port, key, "POST", "/v1/sessions/s1/messages",
                                                #"{"message_id":"m\#(index)","role":"user","content":"message \#(index)"}"#)
                    if reply?.status == 201 { messages.withLock { $0 += 1 } }
                    index += 1
                    try await Task.sleep(for: .milliseconds(20))
                }
                return nil
            }
            group.addTask {   // the restart, under load (writes sent while it is down wait for its return)
                try await waitUntil(timeout: .seconds(60), "load before the restart") {
                    appended.value >= 30 && messages.value >= 10
                }
                let due = try await armExpiries(port: port, key: key)
                let stopping = Date()
                #expect(stopping < due, "the expiries fell due before the database stopped: nothing tests the reactor's return")
                stoppedAt.withLock { $0 = stopping }
                try await cluster.stop()
                try await Task.sleep(for: .seconds(5))
                try await cluster.start()
                let back = ContinuousClock.now
                stop.withLock { $0 = true }
                return back
            }
            var back: ContinuousClock.Instant?
            for _ in 0..<3 { if let instant = try await group.next(), let instant { back = instant } }
            // The load has ended (a write sent while the database was down may have completed
            // after its return): every reader must reach the log's head within 5 s of the
            // return, or 1 s of that last write when it came later.
            let head = try #require(try await store.head())
            let deadline = max(try #require(back) + .seconds(5), ContinuousClock.now + .seconds(1))
            let caughtUp = await waitForEveryReader(store, at: head, seen: seen, until: deadline, since: try #require(back),
                                                    expiriesAfter: try #require(stoppedAt.withLock { $0 }))
            group.cancelAll()
            #expect(caughtUp.missing.isEmpty, """
                not caught up 5 s after the database was back: \(caughtUp.missing); \
                \(processes.map { "\($0.name): \($0.lines.suffix(40).joined(separator: "\n"))" }.joined(separator: "\n\n"))
                """)
            print("database restart: every reader at the head \(caughtUp.after) after the database was back")
            return back
        }
        _ = back
        try await expectReadModelsMatchTheLog(store, port: port, key: key)
        try await expectEachStopsOnSIGTERM(processes)
    }

    /// A key and a reservation that fall due while the database is down (3 s after they
    /// are armed, right before it stops; it stays down 5 s): the expiry reactor of
    /// `project` must record both once it is back.
    /// - Returns: when the first of them falls due.
    private static func armExpiries(port: Int, key: String) async throws -> Date {
        let due = Date().addingTimeInterval(3)
        let expiresAt = ISO8601DateFormatter().string(from: due.addingTimeInterval(1))
        let expiring = try await send(port, adminKey, "POST", "/v1/keys",
                                      #"{"tenant":"acme","name":"expiring","roles":["reader"],"expires_at":"\#(expiresAt)"}"#)
        try #require(expiring.status == 201, "\(expiring.body)")
        let price = try await send(port, key, "PUT", "/v1/models/m1/price", #"{"input_per_1k":"0.001","output_per_1k":"0.002"}"#)
        try #require(price.status == 200, "\(price.body)")
        let budget = try await send(port, key, "POST", "/v1/budgets", """
            {"id":"team","name":"Team","scope":{"kind":"department","id":"team"},"limit":{"tokens":100000},
             "period":"day","time_zone":"UTC","overflow":{"strategy":"reject"}}
            """)
        try #require(budget.status == 201, "\(budget.body)")
        let reserved = try await send(port, key, "POST", "/v1/budgets/team/reservations", """
            {"request_id":"r1","model":"m1","prompt_tokens":10,"max_completion_tokens":10,"ttl_seconds":3}
            """)
        try #require(reserved.status == 201, "\(reserved.body)")
        return due
    }

    /// Events of `type` recorded after `date`.
    private static func count(_ type: String, after date: Date, in store: EventStore) async throws -> Int64 {
        let rows = try await store.client.queryUnlessClosed(
            "SELECT count(*)::int8 FROM events WHERE type = \(type) AND recorded_at > \(date)", logger: logger)
        return try rows.first?.decode(Int64.self) ?? 0
    }

    /// Polls until every projection's checkpoint, the relay's and the live stream are at
    /// `head` and the expiry reactor has recorded both expiries, up to `deadline`; returns
    /// what was still behind, and how long after `back` all were there.
    private static func waitForEveryReader(
        _ store: EventStore, at head: Cursor, seen: Locked<Set<String>>, until deadline: ContinuousClock.Instant,
        since back: ContinuousClock.Instant, expiriesAfter stopped: Date
    ) async -> (missing: [String], after: Duration) {
        var missing: [String] = ["not checked"]
        while ContinuousClock.now < deadline {
            missing = []
            let checkpoints = (try? await readerCheckpoints(store)) ?? [:]
            for name in ["audit", "keys", "quotas", "sessions", "relay"] where (checkpoints[name] ?? .start) < head {
                missing.append("\(name) at \(checkpoints[name].map(\.description) ?? "?"), head \(head)")
            }
            if !seen.value.contains(head.description) { missing.append("live stream (\(seen.value.count) events seen)") }
            for type in ["KeyExpired", "ReservationExpired"] where ((try? await count(type, after: stopped, in: store)) ?? 0) == 0 {
                missing.append("expiry reactor: no \(type) recorded since the restart")
            }
            if missing.isEmpty { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return (missing, ContinuousClock.now - back)
    }

    private static func readerCheckpoints(_ store: EventStore) async throws -> [String: Cursor] {
        var cursors: [String: Cursor] = [:]
        // Never a plain query here: the test's own pool lost its connections in the restart too.
        let rows = try await store.client.queryUnlessClosed("""
            SELECT name, tx_id::text, global_position FROM projections
            UNION ALL SELECT 'relay', tx_id::text, global_position FROM checkpoints WHERE name LIKE 'relay:%'
            """, logger: logger)
        for (name, tx, position) in try rows.map({ try $0.decode((String, String, Int64).self) }) {
            cursors[name] = Cursor(transaction: UInt64(tx) ?? 0, position: position)
        }
        return cursors
    }

    /// Every event of the log is in the audit read model once, and every message the log
    /// holds is in the session's read model.
    private static func expectReadModelsMatchTheLog(_ store: EventStore, port: Int, key: String) async throws {
        // The expiry reactor appended after the head the readers were checked against.
        let head = try #require(try await store.head())
        try await waitUntil(timeout: .seconds(10), "audit at the head, the expiries included") {
            ((try? await readerCheckpoints(store))?["audit"]).map { $0 >= head } ?? false
        }
        let rows = try await store.withTransaction { connection in
            try await connection.queryUnlessClosed("SELECT set_config('eventloom.tenant', '*', true)", logger: logger)
            return try await connection.queryUnlessClosed("""
            SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM projection_audit.audit_events),
                   (SELECT count(*) FROM events WHERE stream_id = 'session-s1' AND type = 'MessageAppended'),
                   (SELECT count(*) FROM projection_sessions.session_messages WHERE session_id = 's1')
            """, logger: logger)
        }
        let (events, audited, messages, projected) = try rows[0].decode((Int64, Int64, Int64, Int64).self)
        #expect(events >= 40, "too little load: \(events) events")
        #expect(audited == events, "audit: \(audited) of \(events) events")
        #expect(messages >= 10 && projected == messages, "sessions: \(projected) of \(messages) messages")
    }

    private static func expectEachStopsOnSIGTERM(_ processes: [EventloomProcess]) async throws {
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for process in processes {
                group.addTask {
                    let status = await process.terminate()
                    let took = ContinuousClock.now - start
                    #expect(took < .seconds(10), "\(process.name) took \(took) to stop")
                    #expect(status == 0, "\(process.name) exited \(status): \(process.lines.suffix(15))")
                }
            }
        }
    }

    private static func issueKey(port: Int) async throws -> String {
        let reply = try await send(port, adminKey, "POST", "/v1/keys", #"{"tenant":"acme","name":"load","roles":["admin","operator","reader"]}"#)
        try #require(reply.status == 201, "\(reply.body)")
        let body = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
        return try #require(body?["secret"] as? String)
    }

    private static func send(_ port: Int, _ key: String, _ method: String, _ path: String, _ body: String) async throws
        -> ChildHTTP.Reply
    {
        try await ChildHTTP.send(port, key: key, method, path, body, timeout: .seconds(5))
    }
}
