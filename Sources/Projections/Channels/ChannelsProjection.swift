import EventStore
import Foundation

/// The `channels` read model as the projection engine runs it: an ``ExternalProjection`` of
/// ``ChannelsModel``s, in memory only.
public struct ChannelsProjection: ExternalProjection {
    public let name = "channels"
    public let version = 1
    public var eventTypes: Set<String>? { ChannelsModel.eventTypes }

    public init() {}

    public func makeModel() -> ChannelsModel { ChannelsModel() }

    /// Never saved: a restart folds the log again.
    public func loadModel(from folder: URL) throws -> ChannelsModel { ChannelsModel() }
}
