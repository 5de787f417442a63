/// What leasing a call came to.
public enum LeaseResult: Sendable, Equatable {
    /// Its places were taken now.
    case leased
    /// It held its places already (a route of the same call again): only their expiry moved.
    case held
    /// The scope at this index had no place left; nothing was leased.
    case full(Int)
}
