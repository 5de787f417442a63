import Domain
import Foundation

/// A seal as the sealer keeps it: its record, where its tree ends, and the roots of its
/// tree's perfect subtrees (from which the next seal continues).
public struct StoredSeal: Sendable {
    public let record: SealRecord
    public let through: Cursor
    public let frontier: MerkleFrontier

    /// The tenant whose `seal-log` stream holds the seals.
    public static let tenant = "system"
}
