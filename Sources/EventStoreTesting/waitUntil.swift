/// Waits until `condition` holds, checking every 20 ms.
/// - Throws: ``WaitTimedOut`` after `timeout`.
public func waitUntil(timeout: Duration = .seconds(30), _ what: String = "condition",
                      _ condition: () async throws -> Bool) async throws
{
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimedOut(description: "\(what) not met within \(timeout)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// A ``waitUntil(timeout:_:_:)`` whose condition did not come true in time.
public struct WaitTimedOut: Error, CustomStringConvertible {
    public let description: String
}
