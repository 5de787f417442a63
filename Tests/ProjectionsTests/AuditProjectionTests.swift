import EventStore
import EventStoreTesting
import Logging
import PostgresNIO
import Projections
import ProjectionsTesting
import Testing

@Suite("Audit read model") struct AuditProjectionTests {
    @Test func everyEvent_becomesOneRow_withWhoWhatWhereAndOutcome() async throws {
        try await TestDatabase.withDatabase { store, url in
            let metadata = EventMetadata(actor: "key:ops", correlationId: "req-7", clientIp: "10.0.0.9", userAgent: "curl/8")
            try await append(store, tenant: "acme", stream: "budget-7", type: "TokensReserved", metadata: metadata)
            let last = try await append(store, tenant: "acme", stream: "budget-7", type: "ReservationRejected",
                                        metadata: EventMetadata())
            try await withRunner(AuditProjection(), store, databaseURL: url) {
                try await waitUntilProjected(store, "audit", last)
            }
            let lines = try await rows(store, """
                SELECT concat_ws(' ', tenant_id, coalesce(actor, '-'), action, resource, category, outcome,
                                 coalesce(client_ip, '-'), coalesce(user_agent, '-'), coalesce(correlation_id, '-'))
                  FROM projection_audit.audit_events ORDER BY tx_id, global_position
                """)
            #expect(lines == ["acme key:ops TokensReserved budget-7 budget success 10.0.0.9 curl/8 req-7",
                              "acme - ReservationRejected budget-7 budget failure - - -"])
            let log = try await wholeLog(store)
            let stored = try await rows(store, """
                SELECT event_id::text || ' ' || tx_id::text || '-' || global_position || ' ' ||
                       (extract(epoch FROM recorded_at) * 1000000)::int8
                  FROM projection_audit.audit_events ORDER BY tx_id, global_position
                """)
            #expect(stored == log.map { "\($0.id.uuidString.lowercased()) \($0.cursor) \($0.recordedAtMicros)" })
        }
    }

    /// The rebuild inserts in SQL (InDatabaseProjection); the live path in Swift: same rows.
    @Test func rebuiltInTheDatabase_equalsAppliedLive_rowForRow() async throws {
        try await TestDatabase.withDatabase { store, url in
            let types = ["TokensReserved", "ReservationRejected", "ChannelFailed", "AccessDenied", "KeyIssued",
                         "QuotaRefused", "FailedOver", "Rejectedness"]
            let metadata = [EventMetadata(actor: "key:ops", correlationId: "req-7", clientIp: "10.0.0.9", userAgent: "curl/8"),
                            EventMetadata(), EventMetadata(actor: "ünïcode \"quoted\"", userAgent: "a\tb")]
            var cursor = Cursor.start
            for index in 0..<40 {
                cursor = try await append(store, tenant: index % 3 == 0 ? "globex" : "acme", stream: "budget-\(index % 4)",
                                        type: types[index % types.count], metadata: metadata[index % metadata.count])
            }
            let everything: PostgresQuery = """
                SELECT concat_ws('|', tenant_id, tx_id, global_position, event_id, recorded_at, actor, action, resource,
                                 category, outcome, client_ip, user_agent, correlation_id)
                  FROM projection_audit.audit_events ORDER BY tx_id, global_position
                """
            let catalog = ProjectionCatalog(client: store.client, logger: Logger(label: "t"))
            let last = cursor
            try await withRunner(AuditProjection(), store, databaseURL: url, configure: { $0.rebuildBatchSize = 7 }) {
                try await waitUntilProjected(store, "audit", last)
                let live = try await rows(store, everything)
                #expect(live.count == 40)
                #expect(try await catalog.requestRebuild("audit"))
                try await waitUntil(timeout: TestDatabase.horizonTimeout, "rebuilt") {
                    try await catalog.status("audit")?.lastRebuiltAtMicros != nil
                }
                #expect(try await rows(store, everything) == live)
            }
        }
    }

    @Test func rowLevelSecurity_showsASessionOnlyItsTenantsRows() async throws {
        try await TestDatabase.withDatabase { store, url in
            try await append(store, tenant: "acme", stream: "lock-a", count: 2)
            let last = try await append(store, tenant: "globex", stream: "lock-b", count: 3)
            try await withRunner(AuditProjection(), store, databaseURL: url) {
                try await waitUntilProjected(store, "audit", last)
            }
            let query: PostgresQuery = "SELECT tenant_id FROM projection_audit.audit_events ORDER BY 1"
            #expect(try await rows(store, query, tenant: "acme") == ["acme", "acme"])
            #expect(try await rows(store, query, tenant: "globex") == ["globex", "globex", "globex"])
            #expect(try await rows(store, query, tenant: "initech").isEmpty)
            #expect(try await rows(store, query, tenant: "").isEmpty, "no tenant set: no rows")
            #expect(try await rows(store, query).count == 5, "the system's own processes see all")
        }
    }

    @Test(arguments: [("TokensReserved", AuditOutcome.success), ("ReservationRejected", .failure),
                      ("ChannelFailed", .failure), ("AccessDenied", .failure), ("KeyIssued", .success)])
    func outcome_followsTheEventType(type: String, outcome: AuditOutcome) {
        #expect(AuditOutcome(type: type) == outcome)
    }
}
