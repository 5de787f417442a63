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

    /// Leases request `request` in each of `scopes` until `expires`, unless one of them
    /// already has its maximum of live leases of other requests. A request leased before
    /// keeps its place (its expiry moves).
    /// - Returns: nil when leased; else the index in `scopes` of the first full one (nothing
    ///   is leased then).
    public func lease(tenant: String, request: String, scopes: [(scope: String, maximum: Int)], now: Date, expires: Date)
        async throws -> Int?
    {
        guard !scopes.isEmpty else { return nil }
        let names = scopes.map(\.scope)
        let maximums = scopes.map { Int64($0.maximum) }
        do {
            let rows = try await store.client.queryUnlessClosed("""
                SELECT eventloom_rate_lease(\(tenant), \(request), \(names), \(maximums), \(now), \(expires))
                """, logger: logger)
            let full = Int(try rows.first?.decode(Int32.self) ?? 0)
            return full == 0 ? nil : full - 1
        } catch {
            throw store.readError(error)
        }
    }

    /// Ends the leases of `requests` (in `scopes` only, when given): their places are free.
    public func release(tenant: String, requests: [String], scopes: [String]? = nil, now: Date) async throws {
        guard !requests.isEmpty else { return }
        do {
            try await store.client.queryUnlessClosed("""
                SELECT eventloom_rate_release(\(tenant), \(requests), \(scopes), \(now))
                """, logger: logger)
        } catch {
            throw store.readError(error)
        }
    }
}
