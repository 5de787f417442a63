/// What a rate limit is counted per: the API key that asked, the user it acts for, or the
/// model asked for. (A channel's limits are the upstream's, in the channel's spec.)
public enum RateScope: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case key, user, model

    public static func < (a: RateScope, b: RateScope) -> Bool { a.rawValue < b.rawValue }
}
