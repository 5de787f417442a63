import AsyncHTTPClient
import Foundation
import NIOCore
import EventStoreTesting

extension LockCycles {
    /// An HTTP client with room for `clients` waiting acquires and their releases at once.
    static func client(for clients: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients * 2 + 4)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}

/// Clients that acquire a lock and release it at once, in a loop, for a while; what they
/// saw: cycles, and per fencing token when its grant arrived and when its release left.
struct LockCycles {
    let baseURL: String
    let key: String
    let clients: Int
    /// With a connection per client and per release in flight: a shared pool's default of
    /// 8 per host would hold releases back behind waiting acquires.
    let http: HTTPClient

    struct Result: Sendable {
        var cycles = 0
        var seconds = 0.0
        var failures: [String] = []
        /// Per resource and fencing token: when the grant's response arrived, and whether it waited.
        var granted: [String: [Int64: (at: ContinuousClock.Instant, waited: Bool)]] = [:]
        /// Per resource and fencing token: when its release was sent.
        var releasing: [String: [Int64: ContinuousClock.Instant]] = [:]

        var cyclesPerSecond: Double { Double(cycles) / max(seconds, 1e-9) }

        /// Release sent → next waiter's grant received, in milliseconds, sorted.
        var handovers: [Double] {
            var latencies: [Double] = []
            for (resource, releases) in releasing {
                for (token, sent) in releases {
                    guard let next = granted[resource]?[token + 1], next.waited else { continue }
                    latencies.append((next.at - sent).seconds * 1000)
                }
            }
            return latencies.sorted()
        }
    }

    /// Each client `c` works on `resource(c)` for `seconds`.
    func run(seconds: Int, waitMs: Int, resource: @escaping @Sendable (Int) -> String) async throws -> Result {
        let result = Locked(Result())
        let start = ContinuousClock.now
        let deadline = start + .seconds(seconds)
        await withTaskGroup(of: Void.self) { group in
            for client in 0..<clients {
                group.addTask {
                    await cycle(client: client, resource: resource(client), waitMs: waitMs, until: deadline, into: result)
                }
            }
        }
        return result.withLock { result in
            result.seconds = (ContinuousClock.now - start).seconds
            return result
        }
    }

    private func cycle(client: Int, resource: String, waitMs: Int, until deadline: ContinuousClock.Instant,
                       into result: Locked<Result>) async {
        while ContinuousClock.now < deadline {
            do {
                let grant = try await post("/v1/locks/\(resource)/acquire",
                                           #"{"owner":"c\#(client)","ttl_ms":30000,"wait_ms":\#(waitMs)}"#)
                let arrived = ContinuousClock.now
                guard let token = (grant["fencing_token"] as? NSNumber)?.int64Value, let ownerToken = grant["owner_token"] as? String else {
                    throw CommandFailure("acquire answered \(grant)")
                }
                let waited = ((grant["waited_ms"] as? NSNumber)?.int64Value ?? 0) > 0
                let sent = ContinuousClock.now
                _ = try await post("/v1/locks/\(resource)/release", #"{"owner_token":"\#(ownerToken)"}"#)
                result.withLock { result in
                    result.cycles += 1
                    result.granted[resource, default: [:]][token] = (arrived, waited)
                    result.releasing[resource, default: [:]][token] = sent
                }
            } catch {
                result.withLock { $0.failures.append("c\(client): \(error)") }
                return
            }
        }
    }

    private func post(_ path: String, _ body: String) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await http.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw CommandFailure("\(path): \(response.status.code) \(String(buffer: bytes))") }
        return (try JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any]) ?? [:]
    }
}
