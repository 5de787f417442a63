import Domain
import DomainTesting
import Foundation
import Testing

@Suite struct ReservationDeciderTests {
    let grant = ReservationGrant(
        reservationID: "r1", requestID: "req-1", keyID: nil, holds: [BudgetHold(budgetID: "team", windowStart: noon)],
        requestedModel: "m1", model: "m1", promptTokens: 10, maxCompletionTokens: 10, amount: tokens(20), price: unitPrice,
        expiresAt: noon.addingTimeInterval(60), openedAt: noon)

    @Test func open_whenNone_recordsTheGrant() {
        Reservation.given().when(.open(grant)).then([.opened(grant)])
    }

    @Test func open_whenOpenAlready_isRefusedAsAnotherRequest() {
        Reservation.given(.opened(grant)).when(.open(grant)).thenThrows(ReservationError.requestMismatch(reservationID: "r1"))
    }

    @Test func release_whenNone_isNotFound() {
        Reservation.given().when(.release(now: noon)).thenThrows(ReservationError.notFound)
    }

    @Test func release_whenOpen_refundsTheWholeHold() {
        Reservation.given(.opened(grant)).when(.release(now: noon))
            .then([.released(reservationID: "r1", refunded: tokens(20), at: noon)])
    }

    @Test func release_whenExpired_isRefused() {
        Reservation.given(.opened(grant), .expired(reservationID: "r1", refunded: tokens(20), at: noon))
            .when(.release(now: noon)).thenThrows(ReservationError.closed(status: "expired"))
    }

    @Test func expire_whenSettled_changesNothing() {
        let settlement = Settlement(reservationID: "r1", outcome: .completed, upstreamUsage: nil, localEstimate: nil,
                                    rule: .reservedEstimate, billed: .zero, cost: .zero, charged: .zero, uncovered: .zero,
                                    refunded: tokens(20), at: noon)
        Reservation.given(.opened(grant), .settled(settlement)).when(.expire(now: noon.addingTimeInterval(3_600))).then([])
    }

    @Test func expire_whenOpenPastItsTTL_refunds() {
        let due = noon.addingTimeInterval(60)
        Reservation.given(.opened(grant)).when(.expire(now: due))
            .thenState(.expired(grant, at: due))
    }
}

@Suite struct LateSettlementDeciderTests {
    let grant = ReservationGrant(
        reservationID: "r1", requestID: "req-1", keyID: nil, holds: [BudgetHold(budgetID: "team", windowStart: noon)],
        requestedModel: "m1", model: "m1", promptTokens: 10, maxCompletionTokens: 10, amount: tokens(20), price: unitPrice,
        expiresAt: noon.addingTimeInterval(60), openedAt: noon)

    func settlement(late: Bool) -> Settlement {
        Settlement(reservationID: "r1", outcome: .completed, upstreamUsage: nil, localEstimate: nil, rule: .reservedEstimate,
                   billed: .zero, cost: tokens(20), charged: tokens(20), uncovered: .zero, refunded: .zero,
                   at: noon.addingTimeInterval(120), late: late)
    }

    @Test func settle_late_whenExpired_recordsItAndClosesAsSettled() {
        let expired = ReservationEvent.expired(reservationID: "r1", refunded: tokens(20), at: noon.addingTimeInterval(60))
        Reservation.given(.opened(grant), expired).when(.settle(settlement(late: true))).then([.settled(settlement(late: true))])
        Reservation.given(.opened(grant), expired).when(.settle(settlement(late: true)))
            .thenState(.settled(grant, settlement(late: true)))
    }

    @Test func settle_onTime_whenExpired_andLate_whenOpen_areRefused() {
        let expired = ReservationEvent.expired(reservationID: "r1", refunded: tokens(20), at: noon.addingTimeInterval(60))
        Reservation.given(.opened(grant), expired).when(.settle(settlement(late: false)))
            .thenThrows(ReservationError.closed(status: "expired"))
        Reservation.given(.opened(grant)).when(.settle(settlement(late: true))).thenThrows(ReservationError.closed(status: "open"))
    }

    @Test func lateSettlement_roundTripsThroughItsSchema() throws {
        let event = ReservationEvent.settled(settlement(late: true))
        let decoded = try ReservationEvent(type: event.type, schemaVersion: 1, json: try event.jsonData())
        #expect(decoded == event)
        #expect(try event.jsonData().contains("\"late\":true"))
    }
}
