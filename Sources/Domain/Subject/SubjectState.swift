import Foundation

/// A data subject, as its commands see it.
public enum SubjectState: Sendable, Hashable {
    /// Not erased (its personal data, if any, reads in clear to those who may read it).
    case known
    case erased(at: Date, reason: String)
}
