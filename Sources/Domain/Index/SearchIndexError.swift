/// The rules an index command can break.
public enum SearchIndexError: Error, Equatable, Sendable {
    /// Nothing was ever recorded about this index.
    case unknownIndex
    case unknownVersion(Int)
    /// The version is in `status`, which the command cannot act on.
    case wrongStatus(version: Int, status: IndexVersion.Status)
    /// A building version's gate did not pass; `reason` says which fact fell short.
    case notReady(version: Int, reason: String)
    /// The version serves searches; stop it serving first.
    case serving(version: Int)
    /// A rollout is running (of `canary`).
    case rolloutRunning(canary: Int)
    case noRollout
    /// No version serves 100 % to roll out over.
    case noStableVersion
    case tooManyVersions(limit: Int)
    case invalid(field: String, reason: String)
}
