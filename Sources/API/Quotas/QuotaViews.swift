import Domain
import Foundation

/// Tokens and money as the API shows them: money as a decimal USD string.
struct AmountView: Codable, Equatable {
    let tokens: Int64
    let usd: String

    init(_ amount: Amount) {
        tokens = amount.tokens
        usd = USD.text(nanos: amount.nanoUSD)
    }
}

/// A limit as the API shows it: a unit left out is not limited.
struct LimitView: Codable, Equatable {
    let tokens: Int64?
    let usd: String?

    init(_ limit: BudgetLimit) {
        tokens = limit.tokens
        usd = limit.nanoUSD.map { USD.text(nanos: $0) }
    }

    /// The limit it describes. - Throws: ``APIError`` 400 for a malformed USD amount.
    func limit(field: String) throws -> BudgetLimit {
        BudgetLimit(tokens: tokens, nanoUSD: try usd.map { try USD.nanos($0, field: "\(field).usd") })
    }

    /// The same units as an amount (a unit left out is zero). - Throws: ``APIError`` 400.
    func amount(field: String) throws -> Amount {
        Amount(tokens: tokens ?? 0, nanoUSD: try usd.map { try USD.nanos($0, field: "\(field).usd") } ?? 0)
    }
}

/// Token counts as clients send and receive them.
struct UsageView: Codable, Equatable {
    let promptTokens: Int64
    let completionTokens: Int64
    let cachedTokens: Int64?

    init(_ usage: TokenUsage) {
        promptTokens = usage.prompt
        completionTokens = usage.completion
        cachedTokens = usage.cached
    }

    var usage: TokenUsage { TokenUsage(prompt: promptTokens, completion: completionTokens, cached: cachedTokens ?? 0) }
}

/// A model's price as the API shows it: USD per 1,000 tokens.
struct PriceView: Codable, Equatable {
    let inputPer1K: String
    let outputPer1K: String
    let cachedPer1K: String?

    init(inputPer1K: String, outputPer1K: String, cachedPer1K: String?) {
        self.inputPer1K = inputPer1K
        self.outputPer1K = outputPer1K
        self.cachedPer1K = cachedPer1K
    }

    init(_ price: ModelPrice) {
        inputPer1K = USD.text(micros: price.inputPer1K)
        outputPer1K = USD.text(micros: price.outputPer1K)
        cachedPer1K = USD.text(micros: price.cachedPer1K)
    }

    private enum Keys: String, CodingKey {
        // Written as is: the snake-case encoder would make "input_per1k" of inputPer1K.
        case input = "input_per_1k", output = "output_per_1k", cached = "cached_per_1k"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(inputPer1K, forKey: .input)
        try container.encode(outputPer1K, forKey: .output)
        try container.encodeIfPresent(cachedPer1K, forKey: .cached)
    }

    /// The price it describes; cached tokens cost the input price unless given.
    /// - Throws: ``APIError`` 400 for a malformed amount.
    func price() throws -> ModelPrice {
        let input = try USD.micros(inputPer1K, field: "input_per_1k")
        return ModelPrice(inputPer1K: input, outputPer1K: try USD.micros(outputPer1K, field: "output_per_1k"),
                          cachedPer1K: try cachedPer1K.map { try USD.micros($0, field: "cached_per_1k") } ?? input)
    }
}
