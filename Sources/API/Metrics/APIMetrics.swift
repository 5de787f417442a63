import Metrics
import Prometheus

/// The process's Prometheus registry. swift-metrics reports into it (the request counters
/// and timers of the HTTP server); `GET /metrics` renders it with the read-model gauges.
public enum APIMetrics {
    public static let registry = PrometheusCollectorRegistry()

    /// Makes ``registry`` the process's swift-metrics backend, once; later calls do nothing.
    public static func bootstrap() { _ = bootstrapped }

    private static let bootstrapped: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()
}
