import Domain
import EventStore
import Foundation
import Logging
import PostgresNIO

extension SessionsBatch {
    /// Writes the batch; each kind of change is one statement whatever the batch size.
    func write(on connection: PostgresConnection, logger: Logger) async throws {
        if !started.isEmpty { try await insertSessions(on: connection, logger: logger) }
        if !messages.isEmpty { try await insertMessages(on: connection, logger: logger) }
        if !deltaOrder.isEmpty { try await applyDeltas(on: connection, logger: logger) }
        if deltaOrder.contains(where: { deltas[$0]?.deleted != nil }) { try await markMessages(on: connection, logger: logger) }
        if !shares.isEmpty { try await insertShares(on: connection, logger: logger) }
        if !revoked.isEmpty { try await revokeShares(on: connection, logger: logger) }
        if !views.isEmpty { try await countViews(on: connection, logger: logger) }
    }

    private func insertSessions(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.queryUnlessClosed("""
            INSERT INTO sessions (tenant_id, session_id, owner_id, title, config, started_at, last_activity_at, version)
            SELECT t, s, o, ti, c, \(unescaped: Self.time("at")), \(unescaped: Self.time("at")), v
              FROM unnest(\(started.map(\.key.tenant)), \(started.map(\.key.sessionID)), \(started.map(\.ownerID)),
                          \(started.map(\.title)), \(started.map(\.config)), \(started.map { $0.at.unixMicros }), \(started.map(\.version)))
                   AS r(t, s, o, ti, c, at, v)
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    private func insertMessages(on connection: PostgresConnection, logger: Logger) async throws {
        let all = messages.map(\.message)
        try await connection.queryUnlessClosed("""
            INSERT INTO session_messages (tenant_id, session_id, message_id, owner_id, session_deleted, sequence, parent_id, role,
                                          content, model, prompt_tokens, completion_tokens, citations, edited_from, created_at)
            SELECT t, s, m, (SELECT o.owner_id FROM sessions o WHERE o.tenant_id = t AND o.session_id = s),
                   coalesce((SELECT o.deleted FROM sessions o WHERE o.tenant_id = t AND o.session_id = s), false),
                   q, nullif(p, ''), r, c, nullif(mo, ''), pt, ct, ci, nullif(e, ''), \(unescaped: Self.time("at"))
              FROM unnest(\(messages.map(\.key.tenant)), \(messages.map(\.key.sessionID)), \(all.map(\.messageID)),
                          \(messages.map(\.sequence)), \(all.map { $0.parentID ?? "" }), \(all.map(\.role.rawValue)),
                          \(all.map(\.content)), \(all.map { $0.model ?? "" }), \(all.map { Int64($0.promptTokens) }),
                          \(all.map { Int64($0.completionTokens) }), \(messages.map(\.citations)),
                          \(messages.map { $0.editedFrom ?? "" }), \(messages.map { $0.at.unixMicros }))
                   AS x(t, s, m, q, p, r, c, mo, pt, ct, ci, e, at)
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// Text columns use '' for "unchanged" (no value of theirs is empty); flags use -1.
    private func applyDeltas(on connection: PostgresConnection, logger: Logger) async throws {
        let keys = deltaOrder
        let rows = keys.map { deltas[$0]! }
        let epoch = Date(timeIntervalSince1970: 0)
        func flag(_ value: Bool?) -> Int32 { value.map { $0 ? 1 : 0 } ?? -1 }
        try await connection.queryUnlessClosed("""
            UPDATE sessions s
               SET message_count = s.message_count + d.n, token_count = s.token_count + d.tk,
                   last_activity_at = greatest(s.last_activity_at, \(unescaped: Self.time("d.la"))),
                   active_message_id = coalesce(nullif(d.am, ''), s.active_message_id),
                   version = greatest(s.version, d.v),
                   title = coalesce(nullif(d.ti, ''), s.title), config = coalesce(nullif(d.co, ''), s.config),
                   tags = CASE WHEN d.tg = '' THEN s.tags ELSE array(SELECT jsonb_array_elements_text(d.tg::jsonb)) END,
                   archived = CASE d.ar WHEN -1 THEN s.archived ELSE d.ar = 1 END,
                   deleted = CASE d.de WHEN -1 THEN s.deleted ELSE d.de = 1 END,
                   summary_id = coalesce(nullif(d.si, ''), s.summary_id),
                   summary_through = coalesce(nullif(d.st, ''), s.summary_through),
                   summary = coalesce(nullif(d.sx, ''), s.summary)
              FROM unnest(\(keys.map(\.tenant)), \(keys.map(\.sessionID)), \(rows.map { Int32($0.messages) }), \(rows.map(\.tokens)),
                          \(rows.map { ($0.lastActivity ?? epoch).unixMicros }), \(rows.map { $0.activeMessageID ?? "" }), \(rows.map(\.version)),
                          \(rows.map { $0.title ?? "" }), \(rows.map { $0.config ?? "" }), \(rows.map { $0.tags.map(Self.jsonArray) ?? "" }),
                          \(rows.map { flag($0.archived) }), \(rows.map { flag($0.deleted) }),
                          \(rows.map { $0.summary?.id ?? "" }), \(rows.map { $0.summary?.through ?? "" }), \(rows.map { $0.summary?.text ?? "" }))
                   AS d(t, id, n, tk, la, am, v, ti, co, tg, ar, de, si, st, sx)
             WHERE s.tenant_id = d.t AND s.session_id = d.id
            """, logger: logger)
    }

    /// Copies a session's new soft-deleted flag onto its messages (searches filter on it).
    private func markMessages(on connection: PostgresConnection, logger: Logger) async throws {
        let keys = deltaOrder.filter { deltas[$0]?.deleted != nil }
        try await connection.queryUnlessClosed("""
            UPDATE session_messages m SET session_deleted = d.de
              FROM unnest(\(keys.map(\.tenant)), \(keys.map(\.sessionID)), \(keys.map { deltas[$0]?.deleted ?? false })) AS d(t, id, de)
             WHERE m.tenant_id = d.t AND m.session_id = d.id AND m.session_deleted <> d.de
            """, logger: logger)
    }

    private func insertShares(on connection: PostgresConnection, logger: Logger) async throws {
        let all = shares.map(\.share)
        let never = Date(timeIntervalSince1970: 0)
        try await connection.queryUnlessClosed("""
            INSERT INTO session_shares (tenant_id, share_id, session_id, mode, message_id, expires_at, password_hash, shared_at)
            SELECT t, sh, s, m, nullif(mi, ''), \(unescaped: Self.time("nullif(ex, 0)")), nullif(pw, ''), \(unescaped: Self.time("at"))
              FROM unnest(\(shares.map(\.key.tenant)), \(all.map(\.shareID)), \(shares.map(\.key.sessionID)),
                          \(all.map(\.mode.rawValue)), \(all.map { $0.messageID ?? "" }), \(all.map { ($0.expiresAt ?? never).unixMicros }),
                          \(all.map { $0.passwordHash ?? "" }), \(shares.map { $0.at.unixMicros }))
                   AS x(t, sh, s, m, mi, ex, pw, at)
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    private func revokeShares(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.queryUnlessClosed("""
            UPDATE session_shares x SET revoked_at = coalesce(x.revoked_at, \(unescaped: Self.time("r.at")))
              FROM unnest(\(revoked.map(\.key.tenant)), \(revoked.map(\.shareID)), \(revoked.map { $0.at.unixMicros })) AS r(t, sh, at)
             WHERE x.tenant_id = r.t AND x.share_id = r.sh
            """, logger: logger)
    }

    private func countViews(on connection: PostgresConnection, logger: Logger) async throws {
        let all = views.sorted { $0.key < $1.key }
        try await connection.queryUnlessClosed("""
            UPDATE session_shares x SET views = x.views + v.n, last_viewed_at = greatest(x.last_viewed_at, \(unescaped: Self.time("v.at")))
              FROM unnest(\(all.map(\.value.tenant)), \(all.map(\.key)), \(all.map(\.value.count)), \(all.map { $0.value.last.unixMicros }))
                   AS v(t, sh, n, at)
             WHERE x.tenant_id = v.t AND x.share_id = v.sh
            """, logger: logger)
    }

    /// SQL for the time `column` holds in microseconds since 1970 (exact below 2^53). Times
    /// are bound as `Date.unixMicros`: binding a `Date` itself truncates, and a
    /// time decoded from an event can sit a hair below its microsecond.
    static func time(_ column: String) -> String { "('epoch'::timestamptz + \(column) * interval '1 microsecond')" }

    static func jsonArray(_ texts: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(texts), as: UTF8.self)) ?? "[]"
    }
}
