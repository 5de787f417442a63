import Foundation
import Logging
import NATS
import NATSTesting
import Testing

@Suite("NATS faults and limits")
struct FaultTests {
    @Test func publish_whileServerIsDown_failsWithinItsAckTimeout_thenWorksAfterRestart() async throws {
        try await TestNATSServer.withServer { server in
            let connection = try await NATSConnection.connect(NATSConnectionOptions(url: server.url), logger: Logger(label: "test"))
            defer { connection.close() }
            let jetStream = try JetStream(connection: connection)
            try await jetStream.createOrUpdateStream(StreamConfiguration(name: "F", subjects: ["f.>"]))
            _ = try await jetStream.publish(OutgoingMessage(subject: "f.1", payload: [1])).value()

            await server.stop()
            await #expect(throws: NATSError.self) {
                try await jetStream.publish(OutgoingMessage(subject: "f.2", payload: [2]),
                                            options: PublishOptions(ackTimeout: .milliseconds(500))).value()
            }
            try await server.start()
            try await waitUntil { connection.isConnected }
            let ack = try await jetStream.publish(OutgoingMessage(subject: "f.3", payload: [3])).value()
            #expect(ack.stream == "F")
            #expect(try await jetStream.streamState("F").messages >= 2)
        }
    }

    @Test func publish_beyondMaxInFlight_waitsForAnAck() async throws {
        try await TestNATSServer.withServer { server in
            let connection = try await NATSConnection.connect(NATSConnectionOptions(url: server.url), logger: Logger(label: "test"))
            defer { connection.close() }
            let jetStream = try JetStream(connection: connection, maxInFlight: 2)
            try await jetStream.createOrUpdateStream(StreamConfiguration(name: "G", subjects: ["g.>"]))
            await server.stop()  // no ack can arrive: the two slots stay taken until the timeout
            let options = PublishOptions(ackTimeout: .seconds(2))
            let first = try await jetStream.publish(OutgoingMessage(subject: "g.1", payload: [1]), options: options)
            let second = try await jetStream.publish(OutgoingMessage(subject: "g.2", payload: [2]), options: options)
            let third = Task { try await jetStream.publish(OutgoingMessage(subject: "g.3", payload: [3]), options: options) }
            try await Task.sleep(for: .milliseconds(300))
            #expect(!first.isSettled && !second.isSettled)
            #expect(!third.isCancelled)
            _ = try? await first.value()
            let thirdAck = try await third.value
            #expect(first.isSettled)
            _ = try? await thirdAck.value()
        }
    }

    @Test func publishWaitingForASlot_isCancelled_throwsCancellation() async throws {
        try await TestNATSServer.withServer { server in
            let connection = try await NATSConnection.connect(NATSConnectionOptions(url: server.url), logger: Logger(label: "test"))
            defer { connection.close() }
            let jetStream = try JetStream(connection: connection, maxInFlight: 1)
            await server.stop()
            let held = try await jetStream.publish(OutgoingMessage(subject: "h.1", payload: [1]),
                                                   options: PublishOptions(ackTimeout: .seconds(1)))
            let waiting = Task { try await jetStream.publish(OutgoingMessage(subject: "h.2", payload: [2])) }
            try await Task.sleep(for: .milliseconds(100))
            waiting.cancel()
            await #expect(throws: CancellationError.self) { _ = try await waiting.value }
            _ = try? await held.value()
        }
    }

    @Test func connect_toNothing_failsWithNoServer() async throws {
        let error = await #expect(throws: NATSError.self) {
            _ = try await NATSConnection.connect(NATSConnectionOptions(url: "nats://127.0.0.1:1"), logger: Logger(label: "test"))
        }
        #expect(error?.code == .noServer)
    }
}

func waitUntil(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        try #require(ContinuousClock.now < deadline, "condition not met within \(timeout)")
        try await Task.sleep(for: .milliseconds(20))
    }
}

@Suite("Acks when the connection closes")
struct ClosedConnectionAckTests {
    @Test func pendingAck_whenTheConnectionCloses_failsWithConnectionClosed_andWaitersCanBeCancelled() async throws {
        try await TestNATSServer.withServer { server in
            let connection = try await NATSConnection.connect(NATSConnectionOptions(url: server.url), logger: Logger(label: "test"))
            let jetStream = try JetStream(connection: connection, maxInFlight: 4)
            try await jetStream.createOrUpdateStream(StreamConfiguration(name: "C", subjects: ["c.>"]))
            await server.stop()
            let pending = try await jetStream.publish(OutgoingMessage(subject: "c.1", payload: [1]),
                                                      options: PublishOptions(ackTimeout: .seconds(60)))
            let waiter = Task { try await pending.value() }
            let cancelled = Task { try await pending.value() }
            try await Task.sleep(for: .milliseconds(100))
            cancelled.cancel()
            await #expect(throws: CancellationError.self) { _ = try await cancelled.value }
            #expect(!pending.isSettled)
            connection.close()
            let error = await #expect(throws: NATSError.self) { _ = try await waiter.value }
            #expect(error?.code == .connectionClosed)
            #expect(jetStream.outstandingAcks == 0)
        }
    }
}
