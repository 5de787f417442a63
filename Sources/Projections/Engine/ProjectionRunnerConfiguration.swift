/// How a ``ProjectionRunner`` reads and retries.
public struct ProjectionRunnerConfiguration: Sendable {
    /// Events per live transaction.
    public var batchSize = 500
    /// Events per rebuild transaction.
    public var rebuildBatchSize = 10_000
    /// How often the runner looks for a rebuild request.
    public var rebuildCheckInterval: Duration = .seconds(1)
    /// The longest wait between retries of a failing event or a lost database.
    public var maximumBackoff: Duration = .seconds(30)
    /// How often a rebuild logs its progress.
    public var progressInterval: Duration = .seconds(5)
    /// How often a standby tries the projection's lock.
    public var standbyPollInterval: Duration = .milliseconds(500)

    public init() {}
}
