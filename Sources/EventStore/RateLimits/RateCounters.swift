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

    /// Leases each call (a request on a channel) until its expiry in each of `scopes`, in
    /// turn, unless one of them already has its maximum of live leases of other calls. A call
    /// leased before keeps its place (its expiry moves).
    /// - Returns: per call, whether it was leased afresh, or held its places already, or the
    ///   index in `scopes` of the first full one (nothing is leased for it then).
    public func lease(tenant: String, calls: [(request: String, call: String, expires: Date)],
                      scopes: [(scope: String, maximum: Int)], now: Date) async throws -> [LeaseResult]
    {
        guard !scopes.isEmpty, !calls.isEmpty else { return calls.map { _ in .leased } }
        let names = scopes.map(\.scope)
        let maximums = scopes.map { Int64($0.maximum) }
        let requests = calls.map(\.request)
        let channels = calls.map(\.call)
        let expiries = calls.map(\.expires)
        do {
            let rows = try await store.client.queryUnlessClosed("""
                SELECT eventloom_rate_lease(\(tenant), \(requests), \(channels), \(names), \(maximums), \(now), \(expiries))
                """, logger: logger)
            let results = try rows.first?.decode([Int32].self) ?? []
            return calls.indices.map { index in
                switch index < results.count ? results[index] : 0 {
                case 0: .leased
                case -1: .held
                case let position: .full(Int(position) - 1)
                }
            }
        } catch {
            throw store.readError(error)
        }
    }

    /// Ends the leases of the calls `requests[i]` on `calls[i]`; with `calls` nil, of every
    /// call of `requests`.
    public func release(tenant: String, requests: [String], calls: [String]? = nil) async throws {
        guard !requests.isEmpty else { return }
        do {
            try await store.client.queryUnlessClosed("""
                SELECT eventloom_rate_release(\(tenant), \(requests), \(calls))
                """, logger: logger)
        } catch {
            throw store.readError(error)
        }
    }
}
