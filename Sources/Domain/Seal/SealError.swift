/// The rules a seal can break.
public enum SealError: Error, Equatable, Sendable {
    case outOfOrder(expected: Int64, got: Int64)
    case notGrowing(previous: Int64, got: Int64)
}
