/// One change between an old and a new text: `oldCount` lines at `oldStart` became
/// `newCount` lines at `newStart` (a count of 0: a pure insertion or deletion there).
public struct DiffHunk: Sendable, Equatable, Hashable {
    public let oldStart: Int
    public let oldCount: Int
    public let newStart: Int
    public let newCount: Int

    public init(oldStart: Int, oldCount: Int, newStart: Int, newCount: Int) {
        self.oldStart = oldStart
        self.oldCount = oldCount
        self.newStart = newStart
        self.newCount = newCount
    }

    public var oldEnd: Int { oldStart + oldCount }
    public var newEnd: Int { newStart + newCount }
}
