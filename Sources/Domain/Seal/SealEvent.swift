import Foundation

/// What happened to the seals.
public enum SealEvent: Sendable, Hashable {
    case sealed(SealRecord)
}
