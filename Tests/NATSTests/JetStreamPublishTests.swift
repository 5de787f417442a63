import Foundation
import Logging
import NATS
import NATSTesting
import Testing

@Suite("JetStream publish and pull")
struct JetStreamPublishTests {
    static let stream = StreamConfiguration(name: "TEST", subjects: ["test.>"])

    @Test func publishAsync_thenPullConsumer_deliversEveryMessageOnceInOrderWithHeaders() async throws {
        try await withJetStream { jetStream in
            try await jetStream.createOrUpdateStream(Self.stream)
            var pending: [PendingAck] = []
            for index in 1...1000 {
                let message = OutgoingMessage(subject: "test.a.\(index % 3)",
                    headers: [("Eventloom-Index", "\(index)"), ("ce-type", "t")], payload: Array("p\(index)".utf8))
                pending.append(try await jetStream.publish(message, options: PublishOptions(messageID: "id-\(index)")))
            }
            var sequences: [UInt64] = []
            for ack in pending { sequences.append(try await ack.value().sequence) }
            #expect(sequences == Array(1...1000))
            #expect(try await jetStream.streamState("TEST").lastSequence == 1000)

            let subscription = try await jetStream.pullSubscribe(
                stream: "TEST", consumer: ConsumerConfiguration(durable: "reader", filterSubject: "test.>"))
            var indexes: [Int] = []
            while indexes.count < 1000 {
                let batch = try await subscription.fetch(batch: 300, timeout: .seconds(2))
                try #require(!batch.isEmpty, "no message within 2 s after \(indexes.count)")
                for message in batch {
                    #expect(message.message.header("ce-type") == "t")
                    #expect(message.message.payload == Array("p\(message.message.header("Eventloom-Index")!)".utf8))
                    indexes.append(Int(message.message.header("Eventloom-Index")!)!)
                    try message.ack()
                }
            }
            #expect(indexes == Array(1...1000))
        }
    }

    @Test func durableConsumer_resumedAfterAcks_deliversNothingTwice() async throws {
        try await withJetStream { jetStream in
            try await jetStream.createOrUpdateStream(Self.stream)
            for index in 1...10 {
                _ = try await jetStream.publish(OutgoingMessage(subject: "test.b", payload: [UInt8(index)])).value()
            }
            let consumer = ConsumerConfiguration(durable: "resume", filterSubject: "test.b")
            do {
                let first = try await jetStream.pullSubscribe(stream: "TEST", consumer: consumer)
                let batch = try await first.fetch(batch: 4, timeout: .seconds(2))
                #expect(batch.map(\.streamSequence) == [1, 2, 3, 4])
                for message in batch { try message.ack() }
                try await jetStream.connection.flush()
            }
            let second = try await jetStream.pullSubscribe(stream: "TEST", consumer: consumer)
            let rest = try await second.fetch(batch: 100, timeout: .seconds(2))
            #expect(rest.map(\.streamSequence) == Array(5...10))
            #expect(rest.allSatisfy { $0.deliveryCount == 1 })
        }
    }

    @Test func publish_withWrongExpectedLastSequence_isRefusedByTheServer() async throws {
        try await withJetStream { jetStream in
            try await jetStream.createOrUpdateStream(Self.stream)
            _ = try await jetStream.publish(OutgoingMessage(subject: "test.c", payload: [1])).value()
            let accepted = try await jetStream.publish(
                OutgoingMessage(subject: "test.c", payload: [2]), options: PublishOptions(expectedLastSequence: 1)).value()
            #expect(accepted.sequence == 2)
            let error = await #expect(throws: NATSError.self) {
                try await jetStream.publish(
                    OutgoingMessage(subject: "test.c", payload: [3]), options: PublishOptions(expectedLastSequence: 1)).value()
            }
            #expect(error?.jetStreamCode == JetStreamErrorCode.wrongLastSequence)
            #expect(try await jetStream.streamState("TEST").lastSequence == 2)
        }
    }

    @Test func publish_sameMessageIDTwice_storesItOnce() async throws {
        try await withJetStream { jetStream in
            try await jetStream.createOrUpdateStream(Self.stream)
            let options = PublishOptions(messageID: "only-once")
            let first = try await jetStream.publish(OutgoingMessage(subject: "test.d", payload: [1]), options: options).value()
            let second = try await jetStream.publish(OutgoingMessage(subject: "test.d", payload: [1]), options: options).value()
            #expect(!first.duplicate)
            #expect(second.duplicate)
            #expect(try await jetStream.streamState("TEST").messages == 1)
        }
    }

    @Test func publish_withNoStreamOnTheSubject_fails() async throws {
        try await withJetStream { jetStream in
            let error = await #expect(throws: NATSError.self) {
                try await jetStream.publish(OutgoingMessage(subject: "nostream.x", payload: [1]),
                                            options: PublishOptions(ackTimeout: .seconds(2))).value()
            }
            #expect(error?.code == .noResponders || error?.code == .timeout)
        }
    }

    @Test func storedMessage_readBySequence_keepsItsHeaders() async throws {
        try await withJetStream { jetStream in
            try await jetStream.createOrUpdateStream(Self.stream)
            _ = try await jetStream.publish(
                OutgoingMessage(subject: "test.e", headers: [("Eventloom-Position", "7-9")], payload: [9])).value()
            let stored = try await jetStream.message(stream: "TEST", sequence: 1)
            #expect(stored.subject == "test.e")
            #expect(stored.header("Eventloom-Position") == "7-9")
            #expect(stored.payload == [9])
            let missing = await #expect(throws: NATSError.self) { try await jetStream.message(stream: "TEST", sequence: 2) }
            #expect(missing?.jetStreamCode == JetStreamErrorCode.messageNotFound)
        }
    }

    @Test func createOrUpdateStream_withAnotherConfiguration_updatesIt() async throws {
        try await withJetStream { jetStream in
            try await jetStream.createOrUpdateStream(Self.stream)
            var changed = Self.stream
            changed.duplicateWindow = .seconds(300)
            changed.subjects = ["test.>", "other.>"]
            try await jetStream.createOrUpdateStream(changed)
            let ack = try await jetStream.publish(OutgoingMessage(subject: "other.x", payload: [1])).value()
            #expect(ack.stream == "TEST")
        }
    }

    @Test func pullSubscribe_toExistingConsumerWithAnotherFilter_fails() async throws {
        try await withJetStream { jetStream in
            try await jetStream.createOrUpdateStream(Self.stream)
            _ = try await jetStream.pullSubscribe(stream: "TEST", consumer: ConsumerConfiguration(durable: "f", filterSubject: "test.a"))
            await #expect(throws: NATSError.self) {
                _ = try await jetStream.pullSubscribe(
                    stream: "TEST", consumer: ConsumerConfiguration(durable: "f", filterSubject: "test.b"))
            }
        }
    }
}

/// A JetStream context on a fresh private server.
func withJetStream<T: Sendable>(maxInFlight: Int = 1024, _ body: (JetStream) async throws -> T) async throws -> T {
    try await TestNATSServer.withServer { server in
        let connection = try await NATSConnection.connect(NATSConnectionOptions(url: server.url), logger: Logger(label: "test"))
        defer { connection.close() }
        return try await body(try JetStream(connection: connection, maxInFlight: maxInFlight))
    }
}

@Suite("Expected empty stream")
struct ExpectedEmptyStreamTests {
    @Test func expectedLastSequenceZero_onANonEmptyStream_isRefused() async throws {
        try await withJetStream { jetStream in
            try await jetStream.createOrUpdateStream(JetStreamPublishTests.stream)
            let empty = PublishOptions(expectedLastSequence: 0)
            let first = try await jetStream.publish(OutgoingMessage(subject: "test.z", payload: [1]), options: empty).value()
            #expect(first.sequence == 1)
            let error = await #expect(throws: NATSError.self) {
                try await jetStream.publish(OutgoingMessage(subject: "test.z", payload: [2]), options: empty).value()
            }
            #expect(error?.jetStreamCode == JetStreamErrorCode.wrongLastSequence)
        }
    }
}
