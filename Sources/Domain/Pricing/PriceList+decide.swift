import Foundation

extension PriceList {
    /// The most models a price list may hold.
    public static let maximumModels = 10_000

    public static func decide(_ command: PriceListCommand, _ state: PriceListState) throws -> [PriceListEvent] {
        switch command {
        case .setPrice(let model, let price, let effectiveAt, let now):
            guard BudgetDefinition.isName(model) else { throw PriceListError.invalidPrice(reason: "model must be 1-100 printable characters") }
            guard price.isValid else { throw PriceListError.invalidPrice(reason: "prices are $0 to $1,000 per 1K tokens") }
            guard state.models[model] != nil || state.models.count < maximumModels else {
                throw PriceListError.invalidPrice(reason: "a price list holds at most \(maximumModels) models")
            }
            try checkTime(effectiveAt, now: now, after: state.models[model]?.latestEffectiveAt)
            if let schedule = state.models[model], schedule.entries.last == .init(value: price, effectiveAt: effectiveAt) { return [] }
            return [.priceSet(model: model, price: price, effectiveAt: effectiveAt, at: now)]
        case .setMultiplier(let group, let multiplier, let effectiveAt, let now):
            guard BudgetDefinition.isName(group) else { throw PriceListError.invalidPrice(reason: "group must be 1-100 printable characters") }
            guard (0...AppliedPrice.maximumMultiplierPPM).contains(multiplier) else {
                throw PriceListError.invalidPrice(reason: "a multiplier is 0 to 100")
            }
            try checkTime(effectiveAt, now: now, after: state.multipliers[group]?.latestEffectiveAt)
            return [.multiplierSet(group: group, multiplierPPM: multiplier, effectiveAt: effectiveAt, at: now)]
        }
    }

    private static func checkTime(_ effectiveAt: Date, now: Date, after latest: Date?) throws {
        guard effectiveAt >= now, latest.map({ effectiveAt >= $0 }) ?? true else {
            throw PriceListError.retroactive(effectiveAt: effectiveAt)
        }
    }

    public static func evolve(_ state: PriceListState, _ event: PriceListEvent) -> PriceListState {
        var state = state
        switch event {
        case .priceSet(let model, let price, let effectiveAt, _):
            state.models[model, default: PriceSchedule()].append(price, effectiveAt: effectiveAt)
        case .multiplierSet(let group, let multiplier, let effectiveAt, _):
            state.multipliers[group, default: PriceSchedule()].append(multiplier, effectiveAt: effectiveAt)
        }
        return state
    }
}
