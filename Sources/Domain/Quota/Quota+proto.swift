import Foundation
import Schemas
import SwiftProtobuf

// Conversions between the quota value types and their protobuf messages.

extension Amount {
    var proto: Eventloom_V1_Amount { .with { $0.tokens = tokens; $0.nanoUsd = nanoUSD } }
    init(_ message: Eventloom_V1_Amount) { self.init(tokens: message.tokens, nanoUSD: message.nanoUsd) }
}

extension BudgetLimit {
    var proto: Eventloom_V1_BudgetLimit {
        .with { message in
            if let tokens { message.tokens = .with { $0.value = tokens } }
            if let nanoUSD { message.nanoUsd = .with { $0.value = nanoUSD } }
        }
    }

    init(_ message: Eventloom_V1_BudgetLimit) {
        self.init(tokens: message.hasTokens ? message.tokens.value : nil,
                  nanoUSD: message.hasNanoUsd ? message.nanoUsd.value : nil)
    }
}

extension TokenUsage {
    var proto: Eventloom_V1_TokenUsage { .with { $0.prompt = prompt; $0.completion = completion; $0.cached = cached } }
    init(_ message: Eventloom_V1_TokenUsage) { self.init(prompt: message.prompt, completion: message.completion, cached: message.cached) }
}

extension ModelPrice {
    var proto: Eventloom_V1_ModelPrice {
        .with { $0.inputPer1K = inputPer1K; $0.outputPer1K = outputPer1K; $0.cachedPer1K = cachedPer1K }
    }

    init(_ message: Eventloom_V1_ModelPrice) {
        self.init(inputPer1K: message.inputPer1K, outputPer1K: message.outputPer1K, cachedPer1K: message.cachedPer1K)
    }
}

extension AppliedPrice {
    var proto: Eventloom_V1_AppliedPrice {
        .with { $0.model = model; $0.price = price.proto; $0.group = group; $0.multiplierPpm = multiplierPPM }
    }

    init(_ message: Eventloom_V1_AppliedPrice) {
        self.init(model: message.model, price: ModelPrice(message.price), group: message.group, multiplierPPM: message.multiplierPpm)
    }
}

extension Date {
    var timestamp: Google_Protobuf_Timestamp { Google_Protobuf_Timestamp(date: self) }
}
