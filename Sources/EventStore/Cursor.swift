/// A position in the log: the writing transaction's id, then the event's global position.
///
/// Totally ordered; a reader that follows it never skips an event, whatever the commit
/// order of concurrent writers (docs/event-log.md). Clients see it as the opaque
/// string `"<tx>-<pos>"`.
public struct Cursor: Hashable, Comparable, Sendable, LosslessStringConvertible {
    /// The id (`xid8`) of the transaction that wrote the event.
    public let transaction: UInt64
    /// The event's `global_position`.
    public let position: Int64

    /// Before every event.
    public static let start = Cursor(transaction: 0, position: 0)

    public init(transaction: UInt64, position: Int64) {
        self.transaction = transaction
        self.position = position
    }

    /// Parses `"<tx>-<pos>"`: two unsigned decimal numbers. `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy(Self.isDecimal),
              let transaction = UInt64(parts[0]), let position = Int64(parts[1])
        else { return nil }
        self.init(transaction: transaction, position: position)
    }

    public var description: String { "\(transaction)-\(position)" }

    public static func < (lhs: Cursor, rhs: Cursor) -> Bool {
        (lhs.transaction, lhs.position) < (rhs.transaction, rhs.position)
    }

    private static func isDecimal(_ part: Substring) -> Bool {
        (1...20).contains(part.utf8.count) && part.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }
}
