import API
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging
import Projections
import Testing

@Suite("Tenant isolation") struct TenantIsolationTests {
    /// Every read route, for a resource of globex, asked with acme's key: 404 or nothing of globex.
    @Test func aKeyOfOneTenant_seesNothingOfAnother_onAnyRoute() async throws {
        try await APITest.run { api in
            let acme = try await api.issueKey(tenant: "acme")
            try await api.issueKey(tenant: "globex")
            try await api.append(tenant: "acme", stream: "lock-a", count: 2)
            let last = try await api.append(tenant: "globex", stream: "lock-secret", count: 3)

            try expectProblem(try await api.get("/v1/streams/lock-secret/events", key: acme), .notFound)
            try expectProblem(try await api.get("/v1/streams/lock-secret/events?from=1", key: acme), .notFound)
            let log = try await api.get("/v1/events?consistent_with=\(last)&limit=1000", key: acme)
            #expect(log.status == .ok)
            #expect(!String(buffer: log.body).contains("globex") && !String(buffer: log.body).contains("lock-secret"))
            let audit = try await api.get("/v1/audit?consistent_with=\(last)&limit=1000", key: acme)
            #expect(audit.status == .ok && !String(buffer: audit.body).contains("lock-secret"))
            let byResource = try await api.get("/v1/audit?resource=lock-secret", key: acme)
            #expect(try json(byResource)["entries"] as? [Any] != nil)
            #expect((try json(byResource)["entries"] as? [Any])?.isEmpty == true)
            let projections = try await api.get("/v1/projections", key: acme)
            #expect(projections.status == .ok && !String(buffer: projections.body).contains("lock-secret"))
            try expectProblem(try await api.post("/v1/projections/audit/rebuild", key: acme, body: ""), .forbidden)
            try expectProblem(try await api.post("/v1/keys", key: acme,
                                                 body: #"{"tenant":"globex","name":"x","roles":["admin"]}"#), .forbidden)
            // acme's own rows are there.
            let own = try json(try await api.get("/v1/audit?resource=lock-a&consistent_with=\(last)", key: acme))
            #expect((own["entries"] as? [Any])?.count == 2)
        }
    }

    @Test func readYourWrites_aQueryWithTheAppendsCursorSeesIt() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            for round in 0..<5 {
                let cursor = try await api.append(tenant: "acme", stream: "lock-ryw-\(round)")
                let response = try await api.get("/v1/audit?resource=lock-ryw-\(round)&consistent_with=\(cursor)", key: key)
                let first = (try json(response)["entries"] as? [[String: Any]])?.first
                #expect(first?["cursor"] as? String == cursor.description, "\(String(buffer: response.body))")
                let header = try await api.get("/v1/events?category=lock&limit=1000", key: key,
                                               headers: [HTTPField.Name("Eventloom-Consistent-With")!: cursor.description])
                #expect(String(buffer: header.body).contains("\"\(cursor)\""))
            }
        }
    }

    /// A cursor the log handed out but the read model cannot reach yet (an open log writer
    /// holds readers back) is waited for, then 504.
    @Test func consistentWith_aCursorNotYetReached_is504WithTheLag() async throws {
        try await APITest.run(configure: { $0.consistencyTimeout = .milliseconds(300) }) { api in
            let key = try await api.issueKey(tenant: "acme")
            try await api.store.client.withConnection { connection in
                let logger = Logger(label: "t")
                try await connection.query("BEGIN", logger: logger)
                _ = try await api.store.append(tenant: "acme", [
                    StreamAppend(stream: "lock-open", expected: .any, events: [testEvent("open")]),
                ], on: connection)
                let later = try await api.append(tenant: "acme", stream: "lock-later")
                let response = try await api.get("/v1/audit?consistent_with=\(later)", key: key)
                try expectProblem(response, .gatewayTimeout)
                try await connection.query("ROLLBACK", logger: logger)
            }
        }
    }

    /// A cursor beyond the log's head was never handed out: 400 at once, not a wait for
    /// the timeout (30 s here, so that a wait could not pass for a slow answer).
    @Test func consistentWith_aCursorBeyondTheHead_is400AtOnce() async throws {
        try await APITest.run(configure: { $0.consistencyTimeout = .seconds(30) }) { api in
            let key = try await api.issueKey(tenant: "acme")
            let started = ContinuousClock.now
            for path in ["/v1/audit", "/v1/events"] {
                let response = try await api.get("\(path)?consistent_with=999999999-1", key: key)
                try expectProblem(response, .badRequest)
                #expect(String(buffer: response.body).contains("consistent_with"))
            }
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }
}

@Suite("Projection status") struct ProjectionStatusTests {
    /// An open transaction that appended holds every reader back: the status names it. One
    /// that holds a transaction id but never appends holds nobody back and is not named.
    @Test func openLogWriter_isNamedAsTheCauseOfLag_andATransactionThatNeverAppends_isNot() async throws {
        try await APITest.run { api in
            let logger = Logger(label: "t")
            try await api.store.client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                try await connection.query("SELECT pg_current_xact_id()", logger: logger)
                try await Task.sleep(for: .milliseconds(1500))
                let body = try json(try await api.get("/v1/projections", key: adminKey))
                #expect(body["oldest_log_writer"] == nil)
                try await connection.query("ROLLBACK", logger: logger)
            }
            try await api.store.client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                _ = try await api.store.append(tenant: "acme", [
                    StreamAppend(stream: "lock-open", expected: .any, events: [testEvent("open")]),
                ], on: connection)
                try await Task.sleep(for: .milliseconds(1500))
                let body = try json(try await api.get("/v1/projections", key: adminKey))
                let oldest = try #require(body["oldest_log_writer"] as? [String: Any])
                #expect((oldest["seconds"] as? Double ?? 0) >= 1)
                #expect(oldest["pid"] is Int && oldest["database"] is String)
                try await connection.query("ROLLBACK", logger: logger)
            }
        }
    }

    /// A projection whose readable events wait past the stall time while its checkpoint does
    /// not move is `stalled`, with its cause; one that keeps up is `running`.
    @Test func projectionThatStopsReading_isReportedStalledWithItsCause() async throws {
        try await APITest.run(configure: { $0.projectionStallAfter = .seconds(1) }) { api in
            _ = try await api.store.client.query("""
                INSERT INTO projections (name, version, updated_at) VALUES ('ghost', 1, now() - interval '1 hour')
                """)
            _ = try await api.append(tenant: "acme", stream: "lock-stall")
            var projections: [[String: Any]] = []
            func named(_ name: String) -> [String: Any]? { projections.first { $0["name"] as? String == name } }
            try await waitUntil(timeout: .seconds(30), "ghost stalled, audit caught up") {
                projections = try json(try await api.get("/v1/projections", key: adminKey))["projections"] as? [[String: Any]] ?? []
                return named("ghost")?["state"] as? String == "stalled" && named("audit")?["lag_events"] as? Int == 0
            }
            let unled = try #require(named("ghost")?["stalled_because"] as? String)
            #expect(unled.contains("no progress") && unled.contains("no process runs it"), "\(unled)")
            #expect(named("audit")?["state"] as? String == "running" && named("audit")?["stalled_because"] == nil)
            // A process that holds its leader lock and does not read: named by its session.
            let lock = "SELECT pg_advisory_lock(\(LeaderLock.eventloomClassID), \(ProjectionRunner.lockID("ghost")))"
            try await HeldTransaction.with(url: api.databaseURL, statements: [lock]) { connection in
                let rows = try await connection.query("SELECT pg_backend_pid()", logger: Logger(label: "t")).collect()
                let pid = try rows[0].decode(Int32.self)
                let state = Locked<String?>(nil)
                try await waitUntil(timeout: .seconds(30), "ghost's leader named") {
                    let all = try json(try await api.get("/v1/projections", key: adminKey))["projections"] as? [[String: Any]] ?? []
                    let found = all.first { $0["name"] as? String == "ghost" }
                    state.withLock { $0 = found?["state"] as? String }
                    return (found?["stalled_because"] as? String)?.contains("pid \(pid)") == true
                }
                #expect(state.withLock { $0 } == "stalled")
            }
        }
    }
}
