import Domain
import EventStore
import EventStoreTesting
import Foundation
import Logging
import PostgresNIO
import Projections
import ProjectionsTesting
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)
private let logger = Logger(label: "test.queries")

/// The tenant's read-only transaction, the way the API reads.
private func reads(_ store: EventStore) -> TenantDatabase {
    TenantDatabase(store: store, statementTimeout: .seconds(10), logger: logger)
}

/// Each read model's typed queries, against real tables a runner filled, without HTTP.
@Suite struct ReadModelQueriesTests {
    @Test func sessionsQueries_listSearchAndShares() async throws {
        try await TestDatabase.withDatabase { store, url in
            let sessions = CommandHandler(store: store, decider: Session.self)
            func run(_ tenant: String, _ id: String, _ commands: [SessionCommand]) async throws -> Cursor {
                try await sessions.handle(commands, tenant: tenant, stream: Session.stream(id)).append!.lastCursor
            }
            func start(_ id: String, _ title: String, at: Date) -> SessionCommand {
                .start(sessionID: id, ownerID: "u1", title: title, config: ModelConfig(model: "m"), at: at)
            }
            _ = try await run("acme", "a", [start("a", "Quarterly planning", at: t0),
                                            .append(ChatMessage(messageID: "a1", parentID: nil, role: .user, content: "budgets for running"), at: t0)])
            _ = try await run("acme", "b", [start("b", "会议记录", at: t0.addingTimeInterval(1)), .tag(["work"], at: t0.addingTimeInterval(1))])
            _ = try await run("acme", "c", [start("c", "archived one", at: t0.addingTimeInterval(2)), .archive(at: t0.addingTimeInterval(2))])
            _ = try await run("other", "x", [start("x", "Quarterly planning elsewhere", at: t0)])
            let last = try await run("acme", "a", [.share(SessionShare(shareID: "sh1", mode: .read), at: t0.addingTimeInterval(3))])
            try await withRunner(SessionsProjection(), store, databaseURL: url) {
                try await waitUntilProjected(store, "sessions", last)
            }
            try await reads(store).queries(SessionsQueries.self, as: "acme") { queries in
                let page = try await queries.list(tenant: "acme", SessionListFilter(limit: 1))
                #expect(page.map(\.record.id) == ["b"])
                var next = SessionListFilter(limit: 10)
                next.after = page.last?.cursor
                #expect(try await queries.list(tenant: "acme", next).map(\.record.id) == ["a"])
                var tagged = SessionListFilter()
                tagged.tag = "work"
                #expect(try await queries.list(tenant: "acme", tagged).map(\.record.id) == ["b"])
                var all = SessionListFilter()
                all.archived = nil
                #expect(try await queries.list(tenant: "acme", all).map(\.record.id) == ["c", "b", "a"])

                let session = try #require(try await queries.session(tenant: "acme", id: "a"))
                #expect(session.title == "Quarterly planning" && session.messageCount == 1 && session.activeMessageID == "a1")
                #expect(try await queries.session(tenant: "acme", id: "x") == nil)
                #expect(try await queries.messages(tenant: "acme", sessionID: "a").map(\.content) == ["budgets for running"])

                let words = try await queries.search(tenant: "acme", owner: nil, query: "run", limit: 10)
                #expect(words.map(\.messageID) == ["a1"])
                let titles = try await queries.search(tenant: "acme", owner: nil, query: "quarterly", limit: 10)
                #expect(titles.map(\.sessionID) == ["a"] && titles.first?.messageID == nil)
                #expect(try await queries.search(tenant: "acme", owner: nil, query: "会议", limit: 10).map(\.sessionID) == ["b"])
                #expect(SessionsQueries.SearchKind("会议") == .substring)

                let shares = try await queries.shares(tenant: "acme", sessionID: "a")
                #expect(shares.map(\.shareID) == ["sh1"] && shares.first?.revoked == false && shares.first?.views == 0)
                #expect(try await queries.link("sh1")?.tenant == "acme")
                #expect(try await queries.link("nope") == nil)
            }
        }
    }

    @Test func keysQueries_findActiveKeysAndDueExpiries() async throws {
        try await TestDatabase.withDatabase { store, url in
            let keys = CommandHandler(store: store, decider: Key.self)
            func issue(_ id: String, secret: UInt8, expiresAt: Date?) async throws -> Cursor {
                let profile = KeyProfile(keyID: id, name: id, roles: [.reader], secretSHA256: [UInt8](repeating: secret, count: 32),
                                         userID: "u-\(id)", expiresAt: expiresAt)
                return try await keys.handle(.issue(profile, now: t0), tenant: "acme", stream: Key.stream(id)).append!.lastCursor
            }
            _ = try await issue("k1", secret: 1, expiresAt: t0.addingTimeInterval(60))
            _ = try await issue("k2", secret: 2, expiresAt: nil)
            _ = try await issue("k3", secret: 3, expiresAt: t0.addingTimeInterval(10))
            let last = try await keys.handle(.disable(now: t0), tenant: "acme", stream: Key.stream("k2")).append!.lastCursor
            try await withRunner(KeysProjection(), store, databaseURL: url) {
                try await waitUntilProjected(store, "keys", last)
            }
            try await reads(store).queries(KeysQueries.self, as: "*") { queries in
                let found = try #require(try await queries.activeKey(secretSHA256: [UInt8](repeating: 1, count: 32)))
                #expect(found.tenant == "acme" && found.keyID == "k1" && found.roles == ["reader"] && found.userID == "u-k1")
                #expect(try await queries.activeKey(secretSHA256: [UInt8](repeating: 2, count: 32)) == nil)
                #expect(try await queries.expiring(at: t0.addingTimeInterval(5), limit: 10).isEmpty)
                #expect(try await queries.expiring(at: t0.addingTimeInterval(60), limit: 10).map(\.keyID) == ["k3", "k1"])
                #expect(try await queries.expiring(at: t0.addingTimeInterval(60), limit: 1).map(\.keyID) == ["k3"])
            }
        }
    }

    @Test func quotasQueries_budgetsWithChainsAndWindows() async throws {
        try await TestDatabase.withDatabase { store, url in
            let budgets = CommandHandler(store: store, decider: Budget.self)
            func define(_ id: String, parent: String?, scope: BudgetScope) async throws -> Cursor {
                let definition = BudgetDefinition(budgetID: id, name: id, scope: scope, parentID: parent,
                                                  limit: BudgetLimit(tokens: 1_000), period: .day)
                return try await budgets.handle(.define(definition, now: t0), tenant: "acme", stream: Budget.stream(id)).append!.lastCursor
            }
            _ = try await define("root", parent: nil, scope: BudgetScope(kind: .tenant))
            _ = try await define("team", parent: "root", scope: BudgetScope(kind: .department, id: "d1"))
            let last = try await define("key1", parent: "team", scope: BudgetScope(kind: .key, id: "k1"))
            try await withRunner(QuotasProjection(), store, databaseURL: url) {
                try await waitUntilProjected(store, "quotas", last)
            }
            try await reads(store).queries(QuotasQueries.self, as: "acme") { queries in
                let chain = try await queries.budgets(tenant: "acme", ids: ["key1", "missing"])
                #expect(chain.map(\.chain) == [["key1", "team", "root"]])
                #expect(chain.first?.definition.limit == BudgetLimit(tokens: 1_000))
                #expect(try await queries.budgets(tenant: "acme", after: "key1", limit: 10).map(\.definition.budgetID) == ["root", "team"])
                #expect(try await queries.budgets(tenant: "acme", scope: .key, id: "k1").map(\.definition.budgetID) == ["key1"])
                #expect(try await queries.budgets(tenant: "other", ids: ["key1"]).isEmpty)
                #expect(try await queries.reservationsExpiring(at: t0.addingTimeInterval(86_400), limit: 10).isEmpty)
                #expect(try await queries.usage(tenant: "acme", groupedBy: .model, from: t0.addingTimeInterval(-86_400),
                                                to: t0.addingTimeInterval(86_400), limit: 10).isEmpty)
            }
        }
    }

    @Test func auditQueries_filterAndPageByCursor() async throws {
        try await TestDatabase.withDatabase { store, url in
            var last = Cursor.start
            for index in 0..<5 {
                var event = testEvent("e\(index)")
                event.metadata = EventMetadata(actor: index.isMultiple(of: 2) ? "alice" : "bob")
                last = try await store.append(tenant: "acme", stream: "lock-r\(index)", expected: .any, events: [event]).lastCursor
            }
            let head = last
            try await withRunner(AuditProjection(), store, databaseURL: url) {
                try await waitUntilProjected(store, "audit", head)
            }
            try await reads(store).queries(AuditQueries.self, as: "acme") { queries in
                var filter = AuditFilter()
                filter.actor = "alice"
                let alice = try await queries.page(tenant: "acme", filter, limit: 2)
                #expect(alice.count == 2 && alice.allSatisfy { $0.actor == "alice" })
                filter.after = try #require(Cursor("\(alice[1].transaction)-\(alice[1].position)"))
                #expect(try await queries.page(tenant: "acme", filter, limit: 10).count == 1)
                #expect(try await queries.page(tenant: "other", AuditFilter(), limit: 10).isEmpty)
            }
        }
    }
}
