import EventStore
import Foundation
import Hummingbird
import Projections

/// `GET /metrics`, Prometheus text format: the HTTP server's request counters and
/// durations, then gauges read from the database (projection lag and state, live clients,
/// the oldest transaction), at most every 5 s; without them while the database fails.
/// Public like `/healthz`: it names routes and projections, never a tenant or a resource.
struct MetricsController {
    let store: EventStore
    let catalog: ProjectionCatalog
    let live: LiveLog
    let stallAfter: Duration
    let clock: WallClock
    /// The database gauges are read at most every 5 s, whoever scrapes.
    let gauges = CachedText(lifetime: .seconds(5))

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/metrics") { _, _ in try await render() }
    }

    private func render() async throws -> Response {
        var text = [UInt8]()
        APIMetrics.registry.emit(into: &text)
        text += Array(await gauges.text { try await readGauges() }.utf8)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: text)))
    }

    private func readGauges() async throws -> String {
        var gauges = PrometheusText()
        let now = clock.micros()
        let statuses = try await catalog.all()
        var lags: [(ProjectionStatus, ProjectionLag)] = []
        for status in statuses { lags.append((status, try await ProjectionLag.of(status, in: store, now: now, stallAfter: stallAfter))) }
        gauges.family("eventloom_projection_lag_events", "Events in the log after the projection's checkpoint (capped at 1000000).",
                      lags.map { (["projection": $0.0.name], Double($0.1.events)) })
        gauges.family("eventloom_projection_lag_seconds", "Age of the oldest event after the projection's checkpoint.",
                      lags.map { (["projection": $0.0.name], $0.1.seconds) })
        gauges.family("eventloom_projection_failed", "1 when the projection stopped at an event it could not apply.",
                      statuses.map { (["projection": $0.name], $0.state == .failed ? 1 : 0) })
        gauges.family("eventloom_projection_stalled",
                      "1 when readable events wait and the projection's checkpoint has not moved for the stall time.",
                      lags.map { (["projection": $0.0.name], $0.1.stall == nil ? 0 : 1) })
        gauges.family("eventloom_projection_rebuilding", "1 while the projection rebuilds into its shadow tables.",
                      statuses.map { (["projection": $0.name], $0.rebuild == nil ? 0 : 1) })
        gauges.family("eventloom_live_clients", "Server-Sent Events clients connected to this process.",
                      [([:], Double(live.clientCount))])
        let holder = try await store.horizonHolder()
        gauges.family("eventloom_oldest_log_writer_seconds",
                      "Age of the oldest open transaction that appended to the log (it holds readers of the log back).",
                      [([:], holder?.seconds ?? 0)])
        return gauges.text
    }
}
