import Foundation

/// A tenant's model prices and per-group multipliers, with their history: a change takes
/// effect at a set time, never before it was made. Stream: `pricing-list`, in the tenant.
public enum PriceList: Decider {
    public typealias Command = PriceListCommand
    public typealias Event = PriceListEvent
    public typealias State = PriceListState

    public static let category = "pricing"
    public static let stream = "pricing-list"
    public static let initialState = PriceListState()
    /// The group of a key that names none.
    public static let defaultGroup = "default"
}

/// Every model's and group's schedule.
public struct PriceListState: Sendable, Hashable, Codable {
    public var models: [String: PriceSchedule<ModelPrice>] = [:]
    public var multipliers: [String: PriceSchedule<Int64>] = [:]

    public init() {}

    /// The price of `model` for `group` at `instant`: nil when the model has no price then.
    /// A group without a multiplier pays ×1.
    public func price(of model: String, group: String, at instant: Date) -> AppliedPrice? {
        guard let price = models[model]?.value(at: instant) else { return nil }
        let multiplier = multipliers[group]?.value(at: instant) ?? 1_000_000
        return AppliedPrice(model: model, price: price, group: group, multiplierPPM: multiplier)
    }
}

/// A change to a price list.
public enum PriceListCommand: Sendable, Hashable {
    case setPrice(model: String, price: ModelPrice, effectiveAt: Date, now: Date)
    case setMultiplier(group: String, multiplierPPM: Int64, effectiveAt: Date, now: Date)
}

/// What changed in a price list.
public enum PriceListEvent: Sendable, Hashable {
    /// `model` costs `price` from `effectiveAt` on.
    case priceSet(model: String, price: ModelPrice, effectiveAt: Date, at: Date)
    /// Keys of `group` pay `multiplierPPM` parts per million of the price from `effectiveAt` on.
    case multiplierSet(group: String, multiplierPPM: Int64, effectiveAt: Date, at: Date)
}

/// The rules a price change can break.
public enum PriceListError: Error, Equatable, Sendable {
    case invalidPrice(reason: String)
    /// The change would take effect before it is made, or before a later change already set.
    case retroactive(effectiveAt: Date)
}
