import Domain
import EventStore
import EventStoreTesting
import Foundation
import NATS
import NATSTesting
import Schemas
import Testing

@Suite("Relay to JetStream")
struct RelayTests {
    @Test func concurrentWriters_everyEventArrivesOnceInCursorOrderWithContractHeaders() async throws {
        try await TestDatabase.withDatabase { store, databaseURL in
            try await TestNATSServer.withServer { server in
                try await withRelay(store, databaseURL: databaseURL, natsURL: server.url) { relay in
                    try await appendConcurrently(store, writers: 8, perWriter: 1250)
                    let log = try await wholeLog(store)
                    try #require(log.count == 10_000)
                    let messages = try await consume(10_000, from: try await jetStream(server.url))
                    try expectExactly(log, in: messages)
                    try await waitUntilPublished(relay, log.last!.cursor)
                    try await waitUntil { try await store.checkpoint("relay:EVENTLOOM") == log.last!.cursor }
                }
            }
        }
    }

    @Test func natsStoppedTenSecondsDuringLoad_afterCatchUpEveryEventIsThereOnce() async throws {
        try await TestDatabase.withDatabase { store, databaseURL in
            try await TestNATSServer.withServer { server in
                try await withRelay(store, databaseURL: databaseURL, natsURL: server.url) { relay in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            try await appendConcurrently(store, writers: 4, perWriter: 1500, pause: .milliseconds(5))
                        }
                        try await waitUntil { (relay.status.snapshot.publishedCount) > 500 }
                        await server.stop()
                        let publishedWhileDown = relay.status.snapshot.publishedCount
                        try await Task.sleep(for: .seconds(10))
                        #expect(relay.status.snapshot.publishedCount == publishedWhileDown)
                        try await server.start()
                        try await group.waitForAll()
                    }
                    let log = try await wholeLog(store)
                    try await waitUntilPublished(relay, log.last!.cursor)
                    let messages = try await consume(log.count, from: try await jetStream(server.url))
                    try expectExactly(log, in: messages)
                }
            }
        }
    }

    @Test func twoRelays_onlyOneLeads_andEveryEventIsPublishedOnce() async throws {
        try await TestDatabase.withDatabase { store, databaseURL in
            try await TestNATSServer.withServer { server in
                try await withRelay(store, databaseURL: databaseURL, natsURL: server.url) { first in
                    try await withRelay(store, databaseURL: databaseURL, natsURL: server.url) { second in
                        try await waitUntil { first.status.snapshot.leading || second.status.snapshot.leading }
                        try await Task.sleep(for: .seconds(1))
                        #expect(first.status.snapshot.leading != second.status.snapshot.leading)
                        try await appendConcurrently(store, writers: 4, perWriter: 250)
                        let log = try await wholeLog(store)
                        let leader = first.status.snapshot.leading ? first : second
                        try await waitUntilPublished(leader, log.last!.cursor)
                        let standby = first.status.snapshot.leading ? second : first
                        #expect(standby.status.snapshot.publishedCount == 0)
                        try expectExactly(log, in: try await consume(log.count, from: try await jetStream(server.url)))
                    }
                }
            }
        }
    }

    @Test func relayRestarted_resumesAfterTheStreamsLastMessage_withoutDuplicates() async throws {
        try await TestDatabase.withDatabase { store, databaseURL in
            try await TestNATSServer.withServer { server in
                try await appendConcurrently(store, writers: 2, perWriter: 100)
                try await withRelay(store, databaseURL: databaseURL, natsURL: server.url) { relay in
                    try await waitUntilPublished(relay, try await wholeLog(store).last!.cursor)
                }
                // The checkpoint lags behind the stream (as after a crash): the stream decides.
                try await store.saveCheckpoint("relay:EVENTLOOM", at: .start)
                try await appendConcurrently(store, writers: 2, perWriter: 100)
                try await withRelay(store, databaseURL: databaseURL, natsURL: server.url) { relay in
                    let log = try await wholeLog(store)
                    try await waitUntilPublished(relay, log.last!.cursor)
                    #expect(relay.status.snapshot.publishedCount == 200)
                    try expectExactly(log, in: try await consume(log.count, from: try await jetStream(server.url)))
                }
            }
        }
    }

    @Test func eventTypeWithoutSchema_isPublishedWithJSONData() async throws {
        try await TestDatabase.withDatabase { store, databaseURL in
            try await TestNATSServer.withServer { server in
                let event = NewEvent(type: "SomethingNew", data: #"{"answer":42}"#)
                _ = try await store.append(tenant: "acme", [StreamAppend(stream: "misc-1", expected: .any, events: [event])])
                try await withRelay(store, databaseURL: databaseURL, natsURL: server.url) { relay in
                    let messages = try await consume(1, from: try await jetStream(server.url))
                    let envelope = try Eventloom_V1_EventEnvelope(serializedBytes: messages[0].payload)
                    #expect(messages[0].subject == "eventloom.acme.misc.SomethingNew")
                    #expect(envelope.dataContentType == "application/json")
                    #expect(String(decoding: envelope.data, as: UTF8.self) == #"{"answer": 42}"#)
                }
            }
        }
    }
}
