import Foundation

/// A named vector index whose versions are built from document commits, made ready, and
/// served by weight, with gradual rollouts that advance on figures and roll back on their
/// own (docs/indexes.md). Stream: `index-<name>`.
public enum SearchIndex: Decider {
    public typealias Command = SearchIndexCommand
    public typealias Event = SearchIndexEvent
    public typealias State = SearchIndexState

    public static let category = "index"
    public static let initialState = SearchIndexState()

    /// The longest index name (it is part of the streams of its ingestion tasks).
    public static let maximumNameLength = 100
    /// The most versions one index keeps (retired ones included).
    public static let maximumVersions = 1_000
    /// The most sources (document refs) one version covers.
    public static let maximumSources = 1_000
    /// The widest vectors an index takes.
    public static let maximumDimension = 4_096
    /// The most steps a rollout plan has.
    public static let maximumSteps = 20
    /// The longest pause between rollout steps.
    public static let maximumPause: TimeInterval = 7 * 86_400
    /// The most routing keys a rollout pins to its canary.
    public static let maximumPinnedKeys = 1_000
    /// The longest names, models, actors and reasons, in characters.
    public static let maximumTextLength = 200

    /// The stream of the index named `name`.
    public static func stream(_ name: String) -> String { "\(category)-\(name)" }
}
