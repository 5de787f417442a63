@testable import EventStore
import EventStoreTesting
import Foundation
import Testing

@Suite struct AppendPlanTests {
    @Test func plan_sortsStreamsAndMapsEventsBackToRequestOrder() throws {
        let z1 = testEvent("z1"), a1 = testEvent("a1"), a2 = testEvent("a2"), m1 = testEvent("m1")
        let plan = try AppendPlan(tenant: "acme", appends: [
            StreamAppend(stream: "lock-z", expected: .exact(4), events: [z1]),
            StreamAppend(stream: "lock-a", expected: .any, events: [a1, a2]),
            StreamAppend(stream: "budget-m", expected: .noStream, events: [m1]),
        ])
        #expect(plan.streams == ["budget-m", "lock-a", "lock-z"])
        #expect(plan.categories == ["budget", "lock", "lock"])
        #expect(plan.expected == [0, -1, 4])
        #expect(plan.counts == [1, 2, 1])
        #expect(plan.eventIDs == [m1.id, a1.id, a2.id, z1.id])
        #expect(plan.requestOrder.map { plan.eventIDs[$0] } == [z1.id, a1.id, a2.id, m1.id])
    }

    @Test func plan_encodesMetadataAsSortedJSONWithoutNulls() throws {
        let event = NewEvent(type: "X", data: "{}", metadata: EventMetadata(actor: "ops/jo", clientIp: "10.0.0.1"))
        let plan = try AppendPlan(tenant: "acme", appends: [StreamAppend(stream: "s", expected: .any, events: [event])])
        #expect(plan.metadata == [#"{"actor":"ops/jo","clientIp":"10.0.0.1"}"#])
    }

    @Test func plan_overLimits_isRejected() {
        var limits = AppendLimits()
        limits.maximumEvents = 2
        #expect(throws: EventStoreError.self) {
            try AppendPlan(tenant: "acme", appends: [
                StreamAppend(stream: "s", expected: .any, events: [testEvent(), testEvent(), testEvent()]),
            ], limits: limits)
        }
    }
}
