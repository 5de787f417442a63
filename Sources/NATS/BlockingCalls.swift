import Foundation

/// Runs blocking or CPU-heavy calls (the C client's connect, JetStream API requests and
/// fetch; password hashing) each on a thread of its own.
///
/// Not on a Dispatch queue: on Linux, Swift's cooperative pool is a width-limited queue on
/// Dispatch's shared root pool, which adds threads for blocked work only slowly. Blocking
/// calls there (a connect waiting out its timeout, a fetch waiting for messages) held the
/// threads Swift's tasks run on, and everything in the process stalled behind them.
public enum BlockingCalls {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = "eventloom.nats.blocking"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}
