import Domain
import DomainTesting
import Foundation
import Testing

@Suite struct BudgetWindowTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    let epoch = Date(timeIntervalSince1970: 0)

    @Test func day_onTheSpringForwardDay_lasts23Hours() {
        let window = BudgetPeriod.day.window(containing: instant("2026-03-29T12:00:00Z"), timeZone: berlin, anchor: epoch)
        #expect(window.start == instant("2026-03-29T00:00:00+01:00"))
        #expect(window.end == instant("2026-03-30T00:00:00+02:00"))
        #expect(window.end.timeIntervalSince(window.start) == 23 * 3_600)
    }

    @Test func day_onTheFallBackDay_lasts25Hours() {
        let window = BudgetPeriod.day.window(containing: instant("2026-10-25T23:30:00+01:00"), timeZone: berlin, anchor: epoch)
        #expect(window.start == instant("2026-10-25T00:00:00+02:00"))
        #expect(window.end.timeIntervalSince(window.start) == 25 * 3_600)
    }

    @Test func day_justBeforeLocalMidnight_isStillThatDay() {
        let window = BudgetPeriod.day.window(containing: instant("2026-06-10T21:59:59Z"), timeZone: berlin, anchor: epoch)
        #expect(window.start == instant("2026-06-10T00:00:00+02:00"))
        let next = BudgetPeriod.day.window(containing: instant("2026-06-10T22:00:00Z"), timeZone: berlin, anchor: epoch)
        #expect(next.start == window.end)
    }

    @Test func week_startsOnMondayMidnightLocal_acrossTheDSTChange() {
        let window = BudgetPeriod.week.window(containing: instant("2026-03-29T12:00:00Z"), timeZone: berlin, anchor: epoch)
        #expect(window.start == instant("2026-03-23T00:00:00+01:00"))
        #expect(window.end == instant("2026-03-30T00:00:00+02:00"))
    }

    @Test func month_inANonUTCZone_startsAtLocalMidnightOfTheFirst() {
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        let window = BudgetPeriod.month.window(containing: instant("2026-01-31T16:00:00Z"), timeZone: tokyo, anchor: epoch)
        #expect(window.start == instant("2026-02-01T00:00:00+09:00"))
        #expect(window.end == instant("2026-03-01T00:00:00+09:00"))
    }

    @Test func fixedFiveHours_countsWholeWindowsFromTheAnchor() {
        let anchor = instant("2026-06-10T00:00:00Z")
        let window = BudgetPeriod.fixed(seconds: 5 * 3_600).window(containing: instant("2026-06-10T11:00:00Z"), timeZone: berlin, anchor: anchor)
        #expect(window == BudgetWindow(start: instant("2026-06-10T10:00:00Z"), end: instant("2026-06-10T15:00:00Z")))
        let before = BudgetPeriod.fixed(seconds: 5 * 3_600).window(containing: instant("2026-06-09T23:00:00Z"), timeZone: berlin, anchor: anchor)
        #expect(before.end == anchor)
    }

    @Test func reserve_afterLocalMidnightAcrossDST_opensTheNextWindowWithRollover() {
        let daily = tokenBudget(rollover: tokens(300), zone: "Europe/Berlin")
        let saturday = instant("2026-03-28T20:00:00Z")
        let sunday = instant("2026-03-28T23:30:00Z")
        let sundayWindow = BudgetWindow(start: instant("2026-03-29T00:00:00+01:00"), end: instant("2026-03-30T00:00:00+02:00"))
        Budget.given(.defined(daily, at: saturday), opened(daily, saturday), reserved(daily, "r1", tokens(800), saturday))
            .when(.reserve(reservationID: "r2", amount: tokens(1_100), now: sunday))
            .then([.windowOpened(budgetID: "team", window: sundayWindow, limit: BudgetLimit(tokens: 1_200),
                                 rollover: tokens(200), at: sunday),
                   .tokensReserved(budgetID: "team", reservationID: "r2", windowStart: sundayWindow.start,
                                   amount: tokens(1_100), at: sunday)])
    }

    @Test func rollover_isCappedAndSkippedWindowsCarryTheBaseLimit() {
        let daily = tokenBudget(rollover: tokens(300))
        let threeDaysLater = noon.addingTimeInterval(3 * 86_400)
        Budget.given(.defined(daily, at: noon), opened(daily, noon))
            .when(.reserve(reservationID: "r1", amount: tokens(1), now: threeDaysLater))
            .then([opened(daily, threeDaysLater, rollover: tokens(300)), reserved(daily, "r1", tokens(1), threeDaysLater)])
    }

    @Test func settlementOfThePreviousWindow_landsThereNotInTheNewOne() {
        let daily = tokenBudget()
        let tomorrow = noon.addingTimeInterval(86_400)
        let today = window(daily, noon)
        let state = Budget.fold([.defined(daily, at: noon), opened(daily, noon), reserved(daily, "r1", tokens(500), noon),
                                 opened(daily, tomorrow),
                                 .tokensConsumed(budgetID: "team", reservationID: "r1", windowStart: today.start,
                                                 held: tokens(500), charged: tokens(200), at: tomorrow)])
        #expect(state.previous == WindowLedger(window: today, limit: daily.limit, consumed: tokens(200)))
        #expect(state.current == WindowLedger(window: window(daily, tomorrow), limit: daily.limit))
    }
}
