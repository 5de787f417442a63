import Domain
import DomainTesting
import Foundation
import Testing

@Suite struct PriceListTests {
    let price = ModelPrice(inputPer1K: 2_500, outputPer1K: 10_000, cachedPer1K: 1_250)
    let later = noon.addingTimeInterval(3_600)

    @Test func setPrice_fromNow_recordsIt() {
        PriceList.given().when(.setPrice(model: "gpt-4o", price: price, effectiveAt: noon, now: noon))
            .then([.priceSet(model: "gpt-4o", price: price, effectiveAt: noon, at: noon)])
    }

    @Test func setPrice_inThePast_isRefused() {
        PriceList.given().when(.setPrice(model: "gpt-4o", price: price, effectiveAt: noon, now: later))
            .thenThrows(PriceListError.retroactive(effectiveAt: noon))
    }

    @Test func setPrice_beforeALaterScheduledChange_isRefused() {
        PriceList.given(.priceSet(model: "gpt-4o", price: price, effectiveAt: later, at: noon))
            .when(.setPrice(model: "gpt-4o", price: price, effectiveAt: noon.addingTimeInterval(60), now: noon))
            .thenThrows(PriceListError.retroactive(effectiveAt: noon.addingTimeInterval(60)))
    }

    @Test func setPrice_aboveTheMaximum_isRefused() {
        PriceList.given().when(.setPrice(model: "m", price: ModelPrice(inputPer1K: ModelPrice.maximumPer1K + 1, outputPer1K: 0, cachedPer1K: 0),
                                         effectiveAt: noon, now: noon))
            .thenThrows(PriceListError.invalidPrice(reason: "prices are $0 to $1,000 per 1K tokens"))
    }

    @Test func price_isTheOneInEffectAtTheInstant_withTheGroupMultiplier() {
        let cheaper = ModelPrice(inputPer1K: 1_000, outputPer1K: 4_000, cachedPer1K: 500)
        let state = PriceList.fold([
            .priceSet(model: "gpt-4o", price: price, effectiveAt: noon, at: noon),
            .priceSet(model: "gpt-4o", price: cheaper, effectiveAt: later, at: noon),
            .multiplierSet(group: "vip", multiplierPPM: 800_000, effectiveAt: noon, at: noon),
        ])
        #expect(state.price(of: "gpt-4o", group: "vip", at: noon.addingTimeInterval(1))?.price == price)
        #expect(state.price(of: "gpt-4o", group: "vip", at: later) == AppliedPrice(model: "gpt-4o", price: cheaper, group: "vip", multiplierPPM: 800_000))
        #expect(state.price(of: "gpt-4o", group: "default", at: later)?.multiplierPPM == 1_000_000)
        #expect(state.price(of: "gpt-4o", group: "vip", at: noon.addingTimeInterval(-1)) == nil)
    }

    @Test func cost_countsCachedPromptTokensAtTheCachedPrice_andRoundsUp() {
        let applied = AppliedPrice(model: "gpt-4o", price: price, group: "vip", multiplierPPM: 1_500_001)
        let usage = TokenUsage(prompt: 1_000, completion: 100, cached: 400)
        let base: Int64 = 600 * 2_500 + 400 * 1_250 + 100 * 10_000
        #expect(applied.cost(of: usage) == (base * 1_500_001 + 999_999) / 1_000_000)
        #expect(applied.amount(of: usage).tokens == 1_100)
    }
}
