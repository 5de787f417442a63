/// What can be asked of the seals.
public enum SealCommand: Sendable, Hashable {
    /// Record `seal`, the next one, over more events than the last.
    case record(SealRecord)
}
