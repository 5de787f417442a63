/// One version's share of the searches, in percent.
public struct IndexWeight: Sendable, Hashable {
    public var version: Int
    public var percent: Int

    public init(version: Int, percent: Int) {
        self.version = version
        self.percent = percent
    }
}
