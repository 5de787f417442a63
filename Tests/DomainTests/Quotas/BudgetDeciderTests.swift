import Domain
import DomainTesting
import Foundation
import Testing

@Suite struct BudgetDeciderTests {
    let team = tokenBudget(thresholds: [50, 80])

    @Suite("no budget yet") struct Undefined {
        @Test func define_withValidDefinition_recordsIt() {
            let definition = tokenBudget()
            Budget.given().when(.define(definition, now: noon)).then([.defined(definition, at: noon)])
        }

        @Test func define_withUnknownTimeZone_isRefused() {
            Budget.given().when(.define(tokenBudget(zone: "Mars/Olympus"), now: noon))
                .thenThrows(BudgetError.invalidDefinition(reason: "unknown time zone \"Mars/Olympus\""))
        }

        @Test func define_withoutAnyLimit_isRefused() {
            var definition = tokenBudget()
            definition.limit = BudgetLimit()
            Budget.given().when(.define(definition, now: noon))
                .thenThrows(BudgetError.invalidDefinition(reason: "a budget limits tokens, USD or both"))
        }

        @Test func define_withALimitBeyond10To17_isRefused() {
            Budget.given().when(.define(tokenBudget(limit: BudgetDefinition.maximumAmount + 1), now: noon))
                .thenThrows(BudgetError.invalidDefinition(reason: "limits are 0 to 10^17 tokens and 10^17 nano-USD ($100 million)"))
        }

        @Test func define_withThresholdOf100_isRefused() {
            Budget.given().when(.define(tokenBudget(thresholds: [100]), now: noon))
                .thenThrows(BudgetError.invalidDefinition(reason: "thresholds are at most 10 percentages from 1 to 99"))
        }

        @Test func define_withIdOutsideStreamCharacters_isRefused() {
            Budget.given().when(.define(tokenBudget("a/b"), now: noon))
                .thenThrows(BudgetError.invalidDefinition(reason: "the budget id must be 1-100 of A-Z a-z 0-9 _ . : -"))
        }

        @Test func reserve_beforeDefinition_isRefused() {
            Budget.given().when(.reserve(reservationID: "r1", amount: tokens(1), now: noon)).thenThrows(BudgetError.notDefined)
        }
    }

    @Test func define_again_withSameDefinition_changesNothing() {
        Budget.given(.defined(team, at: noon)).when(.define(team, now: noon)).then([])
    }

    @Test func define_again_withOtherDefinition_isRefused() {
        Budget.given(.defined(team, at: noon)).when(.define(tokenBudget(limit: 5), now: noon))
            .thenThrows(BudgetError.alreadyDefined(budgetID: "team"))
    }

    @Test func reserve_firstInWindow_opensTheWindowThenHolds() {
        Budget.given(.defined(team, at: noon))
            .when(.reserve(reservationID: "r1", amount: tokens(100), now: noon))
            .then([opened(team, noon), reserved(team, "r1", tokens(100), noon)])
    }

    @Test func reserve_crossingTwoThresholds_alertsForBothOnce() {
        let used = tokens(850)
        Budget.given(.defined(team, at: noon), opened(team, noon))
            .when(.reserve(reservationID: "r1", amount: used, now: noon))
            .then([reserved(team, "r1", used, noon),
                   .thresholdCrossed(budgetID: "team", windowStart: window(team, noon).start, percent: 50, used: used, at: noon),
                   .thresholdCrossed(budgetID: "team", windowStart: window(team, noon).start, percent: 80, used: used, at: noon)])
    }

    @Test func reserve_pastAThresholdAlreadyAnnounced_doesNotAlertAgain() {
        let start = window(team, noon).start
        Budget.given(.defined(team, at: noon), opened(team, noon), reserved(team, "r1", tokens(600), noon),
                     .thresholdCrossed(budgetID: "team", windowStart: start, percent: 50, used: tokens(600), at: noon))
            .when(.reserve(reservationID: "r2", amount: tokens(10), now: noon))
            .then([reserved(team, "r2", tokens(10), noon)])
    }

    @Test func reserve_fillingTheLimitExactly_reportsExhaustion() {
        let start = window(team, noon).start
        Budget.given(.defined(team, at: noon), opened(team, noon), reserved(team, "r1", tokens(900), noon),
                     .thresholdCrossed(budgetID: "team", windowStart: start, percent: 50, used: tokens(900), at: noon),
                     .thresholdCrossed(budgetID: "team", windowStart: start, percent: 80, used: tokens(900), at: noon))
            .when(.reserve(reservationID: "r2", amount: tokens(100), now: noon))
            .then([reserved(team, "r2", tokens(100), noon),
                   .exhausted(budgetID: "team", windowStart: start, used: tokens(1_000), at: noon)])
    }

    @Test func reserve_overTheHardLimit_isRefusedWithTheNextWindow() {
        Budget.given(.defined(team, at: noon), opened(team, noon), reserved(team, "r1", tokens(950), noon))
            .when(.reserve(reservationID: "r2", amount: tokens(51), now: noon))
            .thenThrows(BudgetError.insufficient(budgetID: "team", remaining: Amount(tokens: 50, nanoUSD: .max),
                                                 retryAt: instant("2026-06-11T00:00:00Z")))
    }

    @Test func reserve_overASoftLimit_isGrantedAndReportsExhaustion() {
        let soft = tokenBudget(hard: false)
        Budget.given(.defined(soft, at: noon), opened(soft, noon), reserved(soft, "r1", tokens(950), noon))
            .when(.reserve(reservationID: "r2", amount: tokens(100), now: noon))
            .then([reserved(soft, "r2", tokens(100), noon),
                   .exhausted(budgetID: "team", windowStart: window(soft, noon).start, used: tokens(1_050), at: noon)])
    }

    @Test func consume_lessThanHeld_freesTheRest() {
        Budget.given(.defined(team, at: noon), opened(team, noon), reserved(team, "r1", tokens(950), noon))
            .when(.consume(reservationID: "r1", windowStart: window(team, noon).start, held: tokens(950), charged: tokens(300), now: noon))
            .thenState(BudgetState(definition: team, current: WindowLedger(
                window: window(team, noon), limit: team.limit, consumed: tokens(300), reserved: .zero)))
    }

    @Test func refund_returnsTheHold() {
        Budget.given(.defined(team, at: noon), opened(team, noon), reserved(team, "r1", tokens(400), noon))
            .when(.refund(reservationID: "r1", windowStart: window(team, noon).start, held: tokens(400), reason: .expired, now: noon))
            .thenState(BudgetState(definition: team, current: WindowLedger(window: window(team, noon), limit: team.limit)))
    }
}
