import Dispatch

/// Runs the C client's blocking calls (connect, JetStream API requests, fetch) on
/// threads of their own, so that they never hold a thread of Swift's cooperative pool.
enum BlockingCalls {
    private static let queue = DispatchQueue(label: "eventloom.nats.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
