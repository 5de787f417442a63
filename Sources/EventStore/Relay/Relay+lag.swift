import Foundation
import NATS

extension Relay {
    /// Logs, every `lagInterval`, how far the published cursor is behind the log.
    func reportLag(of nats: NATSConnection) async throws {
        var lastCount = status.snapshot.publishedCount
        while true {
            try await Task.sleep(for: configuration.lagInterval)
            let snapshot = status.snapshot
            let rate = Double(snapshot.publishedCount - lastCount) / (configuration.lagInterval / .seconds(1))
            lastCount = snapshot.publishedCount
            do {
                var after = snapshot.published ?? .start
                if snapshot.published == nil { after = try await store.checkpoint(configuration.checkpointName) }
                let backlog = try await store.backlog(after: after)
                let seconds = backlog.oldestMicros.map { max(0, Date().timeIntervalSince1970 - Double($0) / 1e6) } ?? 0
                status.update {
                    $0.lagEvents = backlog.count
                    $0.lagSeconds = seconds
                    $0.natsConnected = nats.isConnected
                }
                logger.info("relay: lag", metadata: [
                    "published": "\(after)", "events_per_second": "\(Int(rate))",
                    "lag_events": "\(backlog.count)", "lag_seconds": "\(String(format: "%.1f", seconds))",
                    "nats": "\(nats.isConnected ? "connected" : "disconnected")"])
            } catch {
                logger.warning("relay: cannot measure the lag", metadata: ["error": "\(error)"])
            }
        }
    }
}
