/// A lock for async code: callers of ``withLock(_:)`` run one at a time, in arrival order,
/// and wait without holding a thread.
actor AsyncMutex {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    @discardableResult
    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
