import Foundation

/// An active key the upstream refused, set aside until `until` while the channel's other
/// keys work.
public struct KeyAside: Sendable, Equatable {
    public var keyID: String
    /// The outcome that set it aside.
    public var requestID: String
    public var status: Int
    public var errorType: String
    /// Times in a row it was set aside, this one included.
    public var asidesInARow: Int
    public var at: Date
    public var until: Date

    public init(keyID: String, requestID: String, status: Int, errorType: String, asidesInARow: Int, at: Date, until: Date) {
        self.keyID = keyID
        self.requestID = requestID
        self.status = status
        self.errorType = errorType
        self.asidesInARow = asidesInARow
        self.at = at
        self.until = until
    }
}
