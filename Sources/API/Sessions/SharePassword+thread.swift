import NIOPosix

extension SharePassword {
    /// ``hash(_:)`` on NIO's blocking-work pool: 210,000 rounds must not hold a thread of
    /// Swift's cooperative pool (as few as the machine's cores), which every request needs.
    static func hashAside(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { try hash(password) }
    }

    /// ``matches(_:stored:)`` on NIO's blocking-work pool; false if that pool has shut down.
    static func matchesAside(_ password: String, stored: String) async -> Bool {
        (try? await NIOThreadPool.singleton.runIfActive { matches(password, stored: stored) }) ?? false
    }
}
