import Foundation
import Schemas
import SwiftProtobuf

extension PriceListEvent: RecordableEvent {
    public var type: String {
        switch self {
        case .priceSet: "ModelPriceSet"
        case .multiplierSet: "PriceMultiplierSet"
        }
    }

    public var schemaVersion: Int { 1 }

    public func jsonData() throws -> String {
        switch self {
        case .priceSet(let model, let price, let effectiveAt, let at):
            try ProtoJSON.encode(Eventloom_V1_ModelPriceSet.with {
                $0.model = model; $0.price = price.proto; $0.effectiveAt = effectiveAt.timestamp; $0.setAt = at.timestamp
            }, type: type)
        case .multiplierSet(let group, let multiplier, let effectiveAt, let at):
            try ProtoJSON.encode(Eventloom_V1_PriceMultiplierSet.with {
                $0.group = group; $0.multiplierPpm = multiplier; $0.effectiveAt = effectiveAt.timestamp; $0.setAt = at.timestamp
            }, type: type)
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        guard schemaVersion == 1 else { throw EventCodingError.unsupportedSchemaVersion(type: type, version: schemaVersion) }
        switch type {
        case "ModelPriceSet":
            let m = try ProtoJSON.decode(Eventloom_V1_ModelPriceSet.self, from: json, type: type)
            self = .priceSet(model: m.model, price: ModelPrice(m.price), effectiveAt: m.effectiveAt.date, at: m.setAt.date)
        case "PriceMultiplierSet":
            let m = try ProtoJSON.decode(Eventloom_V1_PriceMultiplierSet.self, from: json, type: type)
            self = .multiplierSet(group: m.group, multiplierPPM: m.multiplierPpm, effectiveAt: m.effectiveAt.date, at: m.setAt.date)
        default:
            throw EventCodingError.unknownType(type)
        }
    }
}
