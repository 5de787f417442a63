import Foundation
import Synchronization

/// What every benchmark SSE client has seen so far.
final class SSETally: Sendable {
    struct Client: Sendable {
        var connected = false
        var ok = false
        var closed = false
        var events = 0
    }

    private let clients: Mutex<[Client]>
    /// Sending time and delay of every event a measured client received, in µs.
    private let delays = Mutex<[(sent: Int64, delay: Int64)]>([])

    init(count: Int) {
        clients = Mutex(Array(repeating: Client(), count: count))
    }

    static func wallMicros() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }

    func connected(_ index: Int, ok: Bool) {
        clients.withLock { $0[index].connected = true; $0[index].ok = ok }
    }

    func received(_ index: Int, events: Int, delays received: [(Int64, Int64)]) {
        clients.withLock { $0[index].events += events }
        if !received.isEmpty { delays.withLock { $0 += received.map { (sent: $0.0, delay: $0.1) } } }
    }

    func closed(_ index: Int) {
        clients.withLock { $0[index].closed = true }
    }

    var snapshot: [Client] { clients.withLock { $0 } }

    /// Delivery delays of the events sent at or after `start` (wall-clock µs).
    func delays(sentFrom start: Int64) -> [Duration] {
        delays.withLock { $0 }.filter { $0.sent >= start }.map { .microseconds($0.delay) }
    }
}
