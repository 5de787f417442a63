import ServiceLifecycle

/// Runs `round` every `interval` (after the previous round ends) until graceful shutdown
/// or cancellation: the loop of every reactor that polls its read models.
public func repeatUntilShutdown(every interval: Duration, _ round: @escaping @Sendable () async -> Void) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            await round()
            try? await Task.sleep(for: interval)
        }
    }
}
