import Foundation

/// A value that changes at set times: each entry takes effect at its `effectiveAt` and
/// holds until the next. Entries are kept in time order.
public struct PriceSchedule<Value: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        public var value: Value
        public var effectiveAt: Date
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    /// The value in effect at `instant`; nil before the first entry.
    public func value(at instant: Date) -> Value? {
        entries.last { $0.effectiveAt <= instant }?.value
    }

    /// When the latest entry takes effect.
    public var latestEffectiveAt: Date? { entries.last?.effectiveAt }

    /// Adds `value` from `effectiveAt`, keeping the time order.
    public mutating func append(_ value: Value, effectiveAt: Date) {
        let index = entries.firstIndex { $0.effectiveAt > effectiveAt } ?? entries.endIndex
        entries.insert(Entry(value: value, effectiveAt: effectiveAt), at: index)
    }
}
