/// Runs `body(index)` for `total` indexes, one every 1/`rate` s, each in its own child task
/// so that a slow one does not hold back the schedule; returns once all have finished.
func paced(_ total: Int, rate: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
    let interval = Duration.seconds(1) / rate
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<total {
            try await Task.sleep(until: start + interval * index, clock: .continuous)
            group.addTask { try await body(index) }
        }
        try await group.waitForAll()
    }
}
