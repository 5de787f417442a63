import EventStore
import EventStoreTesting
import Foundation
import NATS
import NATSTesting
import Schemas
import Testing

@Suite("Relay edge cases")
struct RelayEdgeTests {
    @Test func eventLargerThanNATSMaximumPayload_goesOutWithoutItsData_andTheLogIsNotHeldBack() async throws {
        try await TestDatabase.withDatabase { store, databaseURL in
            try await TestNATSServer.withServer { server in
                let big = "{\"blob\":\"" + String(repeating: "x", count: 1_048_000) + "\"}"
                _ = try await store.append(tenant: "acme", [StreamAppend(
                    stream: "misc-1", expected: .any, events: [NewEvent(type: "Blob", data: big), testEvent("after")])])
                try await withRelay(store, databaseURL: databaseURL, natsURL: server.url) { _ in
                    let messages = try await consume(2, from: try await jetStream(server.url))
                    try #require(messages.count == 2)
                    let omitted = try Eventloom_V1_EventEnvelope(serializedBytes: messages[0].payload)
                    #expect(messages[0].header("Eventloom-Data-Omitted") == String(try await wholeLog(store)[0].data.utf8.count))
                    #expect(omitted.type == "Blob" && omitted.data.isEmpty)
                    #expect(messages[1].header("Eventloom-Data-Omitted") == nil)
                }
            }
        }
    }

    @Test func foreignMessageAfterTheRelaysLast_resumesAfterItsOwnLastEvent() async throws {
        try await TestDatabase.withDatabase { store, databaseURL in
            try await TestNATSServer.withServer { server in
                try await appendConcurrently(store, writers: 1, perWriter: 50)
                try await withRelay(store, databaseURL: databaseURL, natsURL: server.url) { relay in
                    try await waitUntilPublished(relay, try await wholeLog(store).last!.cursor)
                }
                let reader = try await jetStream(server.url)
                _ = try await reader.publish(OutgoingMessage(subject: "eventloom.other.thing.Foreign", payload: [1])).value()
                try await store.saveCheckpoint("relay:EVENTLOOM", at: .start)
                try await appendConcurrently(store, writers: 1, perWriter: 50)
                try await withRelay(store, databaseURL: databaseURL, natsURL: server.url) { relay in
                    let log = try await wholeLog(store)
                    try await waitUntilPublished(relay, log.last!.cursor)
                    let messages = try await consume(101, from: reader)
                    #expect(messages[50].subject == "eventloom.other.thing.Foreign")
                    try expectExactly(log, in: messages.filter { $0.subject != "eventloom.other.thing.Foreign" })
                }
            }
        }
    }
}
