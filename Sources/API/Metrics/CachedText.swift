import Synchronization

/// A text computed at most once per `lifetime`; "" while computing it fails.
final class CachedText: Sendable {
    private let lifetime: Duration
    private let cached = Mutex<(at: ContinuousClock.Instant, text: String)?>(nil)

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    func text(_ compute: () async throws -> String) async -> String {
        if let cached = cached.withLock({ $0 }), cached.at + lifetime > .now { return cached.text }
        guard let text = try? await compute() else { return "" }
        cached.withLock { $0 = (.now, text) }
        return text
    }
}
