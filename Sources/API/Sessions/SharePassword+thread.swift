import NATS

extension SharePassword {
    /// ``hash(_:)`` on a thread of its own: 210,000 rounds must not hold a thread of
    /// Swift's cooperative pool (as few as the machine's cores), which every request needs.
    static func hashAside(_ password: String) async throws -> String {
        try await BlockingCalls.run { try hash(password) }
    }

    /// ``matches(_:stored:)`` on a thread of its own.
    static func matchesAside(_ password: String, stored: String) async -> Bool {
        (try? await BlockingCalls.run { matches(password, stored: stored) }) ?? false
    }
}
