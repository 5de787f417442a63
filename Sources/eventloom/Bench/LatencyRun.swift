import Domain
import EventStore
import Foundation
import NATS
import Synchronization

/// Appends at a steady rate and times each event from the start of its append until a
/// durable pull consumer receives it from JetStream.
struct LatencyRun: Sendable {
    let store: EventStore
    let jetStream: JetStream
    let stream: String
    let subjectPrefix: String
    let rate: Int
    let seconds: Int

    static let tenant = "latency"

    /// When each event's append started, by event id, with its index.
    final class SendTimes: Sendable {
        let times = Mutex<[String: (ContinuousClock.Instant, Int)]>([:])
    }

    func run() async throws -> LoadResult {
        let subscription = try await jetStream.pullSubscribe(
            stream: stream, consumer: ConsumerConfiguration(durable: "latency", filterSubject: "\(subjectPrefix).\(Self.tenant).>"))
        let total = rate * (seconds + 1)
        let sendTimes = SendTimes()
        let start = ContinuousClock.now
        return try await withThrowingTaskGroup(of: [Duration].self) { group in
            group.addTask { try await receive(total, from: subscription, sendTimes) }
            group.addTask {
                try await appendPaced(total, sendTimes)
                return []
            }
            var latencies: [Duration] = []
            for try await part in group { latencies += part }
            return LoadResult(events: latencies.count, elapsed: start.duration(to: .now), latencies: latencies)
        }
    }

    /// One append every 1/rate s (``paced(_:rate:_:)``), its start recorded by event id.
    private func appendPaced(_ total: Int, _ sendTimes: SendTimes) async throws {
        try await paced(total, rate: rate) { index in
            let event = NewEvent(type: LockEvent.Kind.acquired.name, data: AppendLoad.payload(writer: index % 64))
            sendTimes.times.withLock { $0[event.id.uuidString.lowercased()] = (.now, index) }
            _ = try await store.append(tenant: Self.tenant, [
                StreamAppend(stream: "load-latency-\(index)", expected: .noStream, events: [event])])
        }
    }

    /// Latencies of the events after the first second (the warm-up).
    private func receive(_ total: Int, from subscription: PullSubscription, _ sendTimes: SendTimes) async throws -> [Duration] {
        var latencies: [Duration] = []
        var received = 0
        let deadline = ContinuousClock.now + .seconds(seconds + 60)
        while received < total {
            guard ContinuousClock.now < deadline else {
                throw CommandFailure("the subscriber received \(received) of \(total) events")
            }
            for message in try await subscription.fetch(batch: 256, timeout: .seconds(1)) {
                let now = ContinuousClock.now
                if let id = message.message.header("Nats-Msg-Id"),
                   let (sent, index) = sendTimes.times.withLock({ $0[id] }), index >= rate {
                    latencies.append(sent.duration(to: now))
                }
                try message.ack()
                received += 1
            }
        }
        return latencies
    }
}
