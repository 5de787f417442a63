import Foundation

extension SharePassword {
    /// ``hash(_:)`` on a thread of its own: 210,000 rounds must not hold a thread of
    /// Swift's cooperative pool (as few as the machine's cores), which every request needs.
    static func hashAside(_ password: String) async throws -> String {
        try await aside { try hash(password) }
    }

    /// ``matches(_:stored:)`` on a thread of its own.
    static func matchesAside(_ password: String, stored: String) async -> Bool {
        (try? await aside { matches(password, stored: stored) }) ?? false
    }

    private static func aside<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = "eventloom.share-password"
            thread.start()
        }
    }
}
