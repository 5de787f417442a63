import Foundation
import Schemas
import SwiftProtobuf

extension PriceListEvent: EventFamily {
    /// Every type the price list writes, each with its schema (one place for both).
    public enum Kind: String, EventKind {
        case priceSet = "ModelPriceSet"
        case multiplierSet = "PriceMultiplierSet"

        public var message: any SwiftProtobuf.Message.Type {
            switch self {
            case .priceSet: Eventloom_V1_ModelPriceSet.self
            case .multiplierSet: Eventloom_V1_PriceMultiplierSet.self
            }
        }

        public var personalFields: PersonalFields { .none }
    }

    public var kind: Kind {
        switch self {
        case .priceSet: .priceSet
        case .multiplierSet: .multiplierSet
        }
    }

    public func jsonData() throws -> String {
        switch self {
        case .priceSet(let model, let price, let effectiveAt, let at):
            try kind.encode(Eventloom_V1_ModelPriceSet.with {
                $0.model = model; $0.price = price.proto; $0.effectiveAt = effectiveAt.timestamp; $0.setAt = at.timestamp
            })
        case .multiplierSet(let group, let multiplier, let effectiveAt, let at):
            try kind.encode(Eventloom_V1_PriceMultiplierSet.with {
                $0.group = group; $0.multiplierPpm = multiplier; $0.effectiveAt = effectiveAt.timestamp; $0.setAt = at.timestamp
            })
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        switch try Kind.named(type, schemaVersion: schemaVersion) {
        case .priceSet:
            let m = try Kind.priceSet.decode(Eventloom_V1_ModelPriceSet.self, from: json)
            self = .priceSet(model: m.model, price: ModelPrice(m.price), effectiveAt: m.effectiveAt.date, at: m.setAt.date)
        case .multiplierSet:
            let m = try Kind.multiplierSet.decode(Eventloom_V1_PriceMultiplierSet.self, from: json)
            self = .multiplierSet(group: m.group, multiplierPPM: m.multiplierPpm, effectiveAt: m.effectiveAt.date, at: m.setAt.date)
        }
    }
}
