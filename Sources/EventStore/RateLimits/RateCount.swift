import Foundation

/// What a request's rpm and tpm limits counted, to give back when it does not go ahead.
public struct RateCount: Sendable {
    let window: Date
    /// The window allowances taken: (scope and kind, amount).
    let taken: [(key: String, amount: Int)]
}
