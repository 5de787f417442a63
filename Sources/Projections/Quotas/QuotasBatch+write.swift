import Domain
import Foundation
import Logging
import PostgresNIO

extension QuotasBatch {
    /// Writes the batch: definitions, new windows, window deltas, reservations opened and
    /// closed, usage. Each kind is one statement whatever the batch size.
    func write(on connection: PostgresConnection, logger: Logger) async throws {
        for budget in budgets {
            let definition = budget.definition
            try await connection.queryUnlessClosed("""
                INSERT INTO budgets (tenant_id, budget_id, name, scope_kind, scope_id, parent_id, definition, defined_at)
                VALUES (\(budget.tenant), \(definition.budgetID), \(definition.name), \(definition.scope.kind.rawValue),
                        \(definition.scope.id), \(definition.parentID), \(budget.json)::jsonb, \(budget.at))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        if !windows.isEmpty { try await insertWindows(on: connection, logger: logger) }
        if !deltaOrder.isEmpty { try await applyDeltas(on: connection, logger: logger) }
        if !opened.isEmpty { try await insertReservations(on: connection, logger: logger) }
        if !closings.isEmpty { try await closeReservations(on: connection, logger: logger) }
        if !settlements.isEmpty { try await addUsage(on: connection, logger: logger) }
    }

    private func insertWindows(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.queryUnlessClosed("""
            INSERT INTO budget_windows (tenant_id, budget_id, window_start, window_end, limit_tokens, limit_nano_usd,
                                        rollover_tokens, rollover_nano_usd)
            SELECT t, b, s, e, nullif(lt, -1), nullif(lu, -1), rt, ru
              FROM unnest(\(windows.map(\.key.tenant)), \(windows.map(\.key.budgetID)), \(windows.map(\.key.start)),
                          \(windows.map(\.end)), \(windows.map { $0.limit.tokens ?? -1 }), \(windows.map { $0.limit.nanoUSD ?? -1 }),
                          \(windows.map(\.rollover.tokens)), \(windows.map(\.rollover.nanoUSD)))
                   AS w(t, b, s, e, lt, lu, rt, ru)
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    private func applyDeltas(on connection: PostgresConnection, logger: Logger) async throws {
        let rows = deltaOrder.map { ($0, deltas[$0]!) }
        try await connection.queryUnlessClosed("""
            UPDATE budget_windows w
               SET consumed_tokens = w.consumed_tokens + d.ct, consumed_nano_usd = w.consumed_nano_usd + d.cu,
                   reserved_tokens = w.reserved_tokens + d.rt, reserved_nano_usd = w.reserved_nano_usd + d.ru,
                   crossed = w.crossed || string_to_array(nullif(d.x, ''), ',')::bigint[],
                   exhausted = w.exhausted OR d.ex
              FROM unnest(\(rows.map(\.0.tenant)), \(rows.map(\.0.budgetID)), \(rows.map(\.0.start)),
                          \(rows.map(\.1.consumed.tokens)), \(rows.map(\.1.consumed.nanoUSD)),
                          \(rows.map(\.1.reserved.tokens)), \(rows.map(\.1.reserved.nanoUSD)),
                          \(rows.map { $0.1.crossed.map(String.init).joined(separator: ",") }), \(rows.map(\.1.exhausted)))
                   AS d(t, b, s, ct, cu, rt, ru, x, ex)
             WHERE w.tenant_id = d.t AND w.budget_id = d.b AND w.window_start = d.s
            """, logger: logger)
    }

    private func insertReservations(on connection: PostgresConnection, logger: Logger) async throws {
        let grants = opened.map(\.grant)
        try await connection.queryUnlessClosed("""
            INSERT INTO reservations (tenant_id, reservation_id, request_id, key_id, budget_id, chain, requested_model, model,
                                      status, hold_tokens, hold_nano_usd, expires_at, opened_at)
            SELECT t, r, q, nullif(k, ''), b, string_to_array(c, ','), rm, m, 'open', ht, hu, ex, op
              FROM unnest(\(opened.map(\.tenant)), \(grants.map(\.reservationID)), \(grants.map(\.requestID)),
                          \(grants.map { $0.keyID ?? "" }), \(grants.map { $0.holds.first?.budgetID ?? "" }),
                          \(grants.map { $0.holds.map(\.budgetID).joined(separator: ",") }), \(grants.map(\.requestedModel)),
                          \(grants.map(\.model)), \(grants.map(\.amount.tokens)), \(grants.map(\.amount.nanoUSD)),
                          \(grants.map(\.expiresAt)), \(grants.map(\.openedAt)))
                   AS g(t, r, q, k, b, c, rm, m, ht, hu, ex, op)
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    private func closeReservations(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.queryUnlessClosed("""
            UPDATE reservations r
               SET status = c.st, charged_tokens = c.ct, charged_nano_usd = c.cu, closed_at = c.at
              FROM unnest(\(closings.map(\.tenant)), \(closings.map(\.reservationID)), \(closings.map(\.status)),
                          \(closings.map(\.charged.tokens)), \(closings.map(\.charged.nanoUSD)), \(closings.map(\.at)))
                   AS c(t, id, st, ct, cu, at)
             WHERE r.tenant_id = c.t AND r.reservation_id = c.id
            """, logger: logger)
    }

    private func addUsage(on connection: PostgresConnection, logger: Logger) async throws {
        let all = settlements.map(\.settlement)
        try await connection.queryUnlessClosed("""
            INSERT INTO usage AS u (tenant_id, day, model, key_id, budget_id, requests, prompt_tokens, completion_tokens,
                                    cached_tokens, charged_tokens, charged_nano_usd)
            SELECT s.t, (s.at AT TIME ZONE 'UTC')::date, r.model, coalesce(r.key_id, ''), r.budget_id, count(*),
                   sum(s.p), sum(s.c), sum(s.k), sum(s.ct), sum(s.cu)
              FROM unnest(\(settlements.map(\.tenant)), \(all.map(\.reservationID)), \(all.map(\.at)),
                          \(all.map(\.billed.prompt)), \(all.map(\.billed.completion)), \(all.map(\.billed.cached)),
                          \(all.map(\.charged.tokens)), \(all.map(\.charged.nanoUSD)))
                   AS s(t, id, at, p, c, k, ct, cu)
              JOIN reservations r ON r.tenant_id = s.t AND r.reservation_id = s.id
             GROUP BY 1, 2, 3, 4, 5
            ON CONFLICT (tenant_id, day, model, key_id, budget_id) DO UPDATE
               SET requests = u.requests + EXCLUDED.requests, prompt_tokens = u.prompt_tokens + EXCLUDED.prompt_tokens,
                   completion_tokens = u.completion_tokens + EXCLUDED.completion_tokens,
                   cached_tokens = u.cached_tokens + EXCLUDED.cached_tokens,
                   charged_tokens = u.charged_tokens + EXCLUDED.charged_tokens,
                   charged_nano_usd = u.charged_nano_usd + EXCLUDED.charged_nano_usd
            """, logger: logger)
    }
}
