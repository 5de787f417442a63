import Foundation

/// Runs the C client's blocking calls (connect, JetStream API requests, fetch) each on a
/// thread of its own: a fetch can wait its whole timeout, so a bounded pool would queue
/// every other call behind the waiting ones.
///
/// Not on a Dispatch queue: on Linux, Swift's cooperative pool is a width-limited queue on
/// Dispatch's shared root pool, which adds threads for blocked work only slowly. Blocking
/// calls there (a connect waiting out its timeout, a fetch waiting for messages) held the
/// threads Swift's tasks run on, and everything in the process stalled behind them.
enum BlockingCalls {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = "eventloom.nats.blocking"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}
