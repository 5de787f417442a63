/// Bounds on what one append may carry. Anything beyond is rejected before any IO.
public struct AppendLimits: Sendable {
    public var maximumEvents = 10_000
    public var maximumStreams = 100
    public var maximumEventBytes = 1 << 20
    public var maximumAppendBytes = 16 << 20
    public var maximumMetadataFieldBytes = 1_024

    public init() {}
}
