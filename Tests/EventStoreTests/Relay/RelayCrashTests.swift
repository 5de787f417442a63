import EventStore
import EventStoreTesting
import Foundation
import NATS
import NATSTesting
import Testing

@Suite("Relay processes killed")
struct RelayCrashTests {
    @Test func relayKilledMidBatchAndRestarted_nothingLostNothingTwice() async throws {
        try await TestDatabase.withDatabase { store, databaseURL in
            try await TestNATSServer.withServer { server in
                let reader = try await jetStream(server.url)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await appendConcurrently(store, writers: 4, perWriter: 1500, pause: .milliseconds(2))
                    }
                    let first = try EventloomProcess.relay(name: "first", databaseURL: databaseURL, natsURL: server.url)
                    try await waitUntil(timeout: .seconds(60)) {
                        ((try? await reader.streamState("EVENTLOOM"))?.messages ?? 0) > 1000
                    }
                    await first.kill()
                    let killedAt = try await reader.streamState("EVENTLOOM").messages
                    let second = try EventloomProcess.relay(name: "second", databaseURL: databaseURL, natsURL: server.url)
                    try await group.waitForAll()
                    let log = try await wholeLog(store)
                    try #require(killedAt < UInt64(log.count), "the relay was not killed mid-load")
                    try await waitUntil(timeout: .seconds(60)) {
                        try await reader.streamState("EVENTLOOM").messages >= UInt64(log.count)
                    }
                    try expectExactly(log, in: try await consume(log.count, from: reader))
                    #expect(await second.terminate() == 0)
                }
            }
        }
    }

    @Test func twoRelayProcesses_oneStandsBy_andTakesOverWhenTheLeaderIsKilled() async throws {
        try await TestDatabase.withDatabase { store, databaseURL in
            try await TestNATSServer.withServer { server in
                let reader = try await jetStream(server.url)
                let relays = try ["a", "b"].map { try EventloomProcess.relay(name: $0, databaseURL: databaseURL, natsURL: server.url) }
                try await waitUntil { relays.contains { $0.hasLogged("relay: leading") } }
                try await waitUntil { relays.contains { $0.hasLogged("standing by") } }
                let leader = relays.first { $0.hasLogged("relay: leading") }!
                let standby = relays.first { $0 !== leader }!
                #expect(!standby.hasLogged("relay: leading"))

                try await appendConcurrently(store, writers: 2, perWriter: 250)
                try await waitUntil { try await reader.streamState("EVENTLOOM").messages == 500 }
                await leader.kill()
                let killed = ContinuousClock.now
                try await waitUntil { standby.hasLogged("relay: leading") }
                let takeover = ContinuousClock.now - killed
                #expect(takeover < .seconds(5), "took over after \(takeover)")

                try await appendConcurrently(store, writers: 2, perWriter: 250)
                try await waitUntil { try await reader.streamState("EVENTLOOM").messages == 1000 }
                try expectExactly(try await wholeLog(store), in: try await consume(1000, from: reader))
                #expect(await standby.terminate() == 0)
            }
        }
    }
}
