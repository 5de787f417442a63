import EventStore
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// `clients` SSE connections to the server's live stream while events are appended at a
/// steady rate: how late each event reaches the measured clients, whether every client
/// got every event, and the server's memory meanwhile.
struct FanOutRun: Sendable {
    let store: EventStore
    let server: BenchChild
    let host: String
    let port: Int
    let secret: String
    let clients: Int
    let rate: Int
    let seconds: Int
    /// The appended streams are `<prefix>-<n>`, new in each run.
    var streamPrefix = "tick"
    /// One client in `measureEvery` reads the timestamps.
    let measureEvery = 10

    struct Result: Sendable {
        let delivery: LoadResult
        /// How long each append took (the delivery delay counts from its start).
        let appends: LoadResult
        let completeClients: Int
        /// Clients the server cut off (too far behind) or that lost their connection.
        let disconnectedClients: Int
        let fewestEvents: Int
        /// CPU used meanwhile, in cores: the server, and this process (clients and appends).
        let serverCores: Double
        let clientCores: Double
        let expectedEvents: Int
        let peakRSS: Double
    }

    /// The clients' own event loops: on PostgresNIO's (the singleton), 1,000 busy sockets
    /// would delay the appends, and the delay measured would be the benchmark's own.
    func run() async throws -> Result {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        do {
            let result = try await run(on: group)
            try await group.shutdownGracefully()
            return result
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private func run(on group: MultiThreadedEventLoopGroup) async throws -> Result {
        let tally = SSETally(count: clients)
        let head = try await store.readableHead()
        let request = "GET /v1/events/stream?after=\(head) HTTP/1.1\r\nHost: \(host)\r\n"
            + "Authorization: Bearer \(secret)\r\nAccept: text/event-stream\r\n\r\n"
        var channels: [any Channel] = []
        defer { for channel in channels { channel.close(promise: nil) } }
        for start in stride(from: 0, to: clients, by: 100) {
            for index in start..<Swift.min(start + 100, clients) {
                channels.append(try await connect(request: request, index: index, tally: tally, group: group))
            }
            try await waitForStatus(tally, upTo: Swift.min(start + 100, clients))
        }
        let total = rate * (seconds + 1)
        let measuredFrom = SSETally.wallMicros() + 1_000_000
        let cpuBefore = (server: server.cpuSeconds, clients: BenchChild.cpuSeconds(ofProcess: "self"))
        let started = ContinuousClock.now
        let peak = PeakMemory(server)
        let appendTimes = AppendTimes()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await appendPaced(total, timings: appendTimes) }
            tasks.addTask {
                while true {
                    try await Task.sleep(for: .milliseconds(250))
                    try peak.sample()
                }
            }
            try await tasks.next()
            tasks.cancelAll()
        }
        try await waitForDelivery(tally, total: total, peak)
        let elapsed = started.duration(to: .now).seconds
        let cpu = (server: (server.cpuSeconds - cpuBefore.server) / elapsed,
                   clients: (BenchChild.cpuSeconds(ofProcess: "self") - cpuBefore.clients) / elapsed)
        let clients = tally.snapshot
        let delays = tally.delays(sentFrom: measuredFrom)
        return Result(delivery: LoadResult(events: delays.count, elapsed: .seconds(seconds), latencies: delays),
                      appends: LoadResult(events: total, elapsed: .seconds(seconds), latencies: appendTimes.all),
                      completeClients: clients.filter { $0.events == total }.count,
                      disconnectedClients: clients.filter(\.closed).count,
                      fewestEvents: clients.map(\.events).min() ?? 0,
                      serverCores: cpu.server, clientCores: cpu.clients, expectedEvents: total,
                      peakRSS: Swift.max(try peak.sample(), server.memory.peak))
    }

    private func connect(request: String, index: Int, tally: SSETally, group: MultiThreadedEventLoopGroup)
        async throws -> any Channel
    {
        let measured = index % measureEvery == 0
        return try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        SSEProbe(request: request, measured: measured, tally: tally, index: index))
                }
            }
            .connect(host: host, port: port).get()
    }

    private func waitForStatus(_ tally: SSETally, upTo count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let clients = tally.snapshot.prefix(count)
            if let refused = clients.first(where: { $0.connected && !$0.ok }) {
                throw CommandFailure("the server refused an SSE client: \(refused)")
            }
            if clients.allSatisfy(\.connected) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CommandFailure("SSE clients not answered within 30 s")
    }

    private func waitForDelivery(_ tally: SSETally, total: Int, _ peak: PeakMemory) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, tally.snapshot.contains(where: { $0.events < total && !$0.closed }) {
            try peak.sample()
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// How long each append took.
    final class AppendTimes: Sendable {
        private let values = Mutex<[Duration]>([])

        func add(_ duration: Duration) { values.withLock { $0.append(duration) } }

        var all: [Duration] { values.withLock { $0 } }
    }

    /// The server's largest resident size seen, in MiB.
    final class PeakMemory: Sendable {
        let server: BenchChild
        let largest = Mutex<Double>(0)

        init(_ server: BenchChild) { self.server = server }

        @discardableResult
        func sample() throws -> Double {
            try server.checkRunning()
            let current = server.memory.current
            return largest.withLock { $0 = Swift.max($0, current); return $0 }
        }
    }

    /// One append every 1/rate s, each stamped with its wall-clock sending time.
    private func appendPaced(_ total: Int, timings: AppendTimes) async throws {
        try await paced(total, rate: rate) { index in
            let data = #"{"sent_us":\#(SSETally.wallMicros())}"#
            let start = ContinuousClock.now
            _ = try await store.append(tenant: AppendLoad.tenant, [
                StreamAppend(stream: "\(streamPrefix)-\(index)", expected: .noStream, events: [
                    NewEvent(type: "BenchTick", data: data, metadata: AppendLoad.metadata)])])
            let took = start.duration(to: .now)
            timings.add(took)
        }
    }
}
