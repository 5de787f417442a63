import Foundation
import Logging
import PostgresNIO

/// The rate-limit counters every serving process shares (tables `rate_windows` and
/// `rate_leases`, docs/rate-limits.md): allowances of one-minute windows, taken in blocks,
/// and leases of requests in flight.
public struct RateCounters: Sendable {
    let store: EventStore
    let logger: Logger

    public init(store: EventStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Takes up to `wanted` of the allowance `maximum` of `scope`'s window starting at `window`.
    /// - Returns: what was taken: less than `wanted` when the window is (then) spent.
    public func take(tenant: String, scope: String, window: Date, wanted: Int, maximum: Int) async throws -> Int {
        do {
            let rows = try await store.client.queryUnlessClosed("""
                SELECT eventloom_rate_take(\(tenant), \(scope), \(window), \(Int64(wanted)), \(Int64(maximum)))
                """, logger: logger)
            return Int(try rows.first?.decode(Int64.self) ?? 0)
        } catch {
            throw store.readError(error)
        }
    }

    /// Leases each of `requests` until its expiry in each of `scopes`, in turn, unless one of
    /// them already has its maximum of live leases of other requests. A request leased before
    /// keeps its place (its expiry moves).
    /// - Returns: per request, nil when leased; else the index in `scopes` of the first full
    ///   one (nothing is leased for it then).
    public func lease(tenant: String, requests: [(request: String, expires: Date)], scopes: [(scope: String, maximum: Int)],
                      now: Date) async throws -> [Int?]
    {
        guard !scopes.isEmpty, !requests.isEmpty else { return requests.map { _ in nil } }
        let names = scopes.map(\.scope)
        let maximums = scopes.map { Int64($0.maximum) }
        let ids = requests.map(\.request)
        let expiries = requests.map(\.expires)
        do {
            let rows = try await store.client.queryUnlessClosed("""
                SELECT eventloom_rate_lease(\(tenant), \(ids), \(names), \(maximums), \(now), \(expiries))
                """, logger: logger)
            let full = try rows.first?.decode([Int32].self) ?? []
            return requests.indices.map { index in index < full.count && full[index] > 0 ? Int(full[index]) - 1 : nil }
        } catch {
            throw store.readError(error)
        }
    }

    /// Ends the leases of `requests` (in `scopes` only, when given): their places are free.
    public func release(tenant: String, requests: [String], scopes: [String]? = nil) async throws {
        guard !requests.isEmpty else { return }
        do {
            try await store.client.queryUnlessClosed("""
                SELECT eventloom_rate_release(\(tenant), \(requests), \(scopes))
                """, logger: logger)
        } catch {
            throw store.readError(error)
        }
    }
}
