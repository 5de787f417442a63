import Foundation
import Logging
import NATS
import NATSTesting
import Testing

@Suite("Core NATS subscriptions")
struct CoreSubscriptionTests {
    @Test func subscribe_receivesEveryPublishedMessageWithHeaders() async throws {
        try await TestNATSServer.withServer { server in
            let connection = try await NATSConnection.connect(NATSConnectionOptions(url: server.url), logger: Logger(label: "test"))
            defer { connection.close() }
            let subscription = try connection.subscribe(to: "core.>")
            try await connection.flush()
            for index in 0..<100 {
                try connection.publish(OutgoingMessage(subject: "core.\(index)", headers: [("n", "\(index)")], payload: [UInt8(index)]))
            }
            try await connection.flush()
            var received: [Int] = []
            for try await message in subscription {
                #expect(message.subject == "core.\(received.count)")
                #expect(message.payload == [UInt8(received.count)])
                received.append(Int(message.header("n")!)!)
                if received.count == 100 { break }
            }
            #expect(received == Array(0..<100))
            #expect(subscription.droppedCount == 0)
        }
    }

    @Test func subscribe_toAnInvalidSubject_throws() async throws {
        try await TestNATSServer.withServer { server in
            let connection = try await NATSConnection.connect(NATSConnectionOptions(url: server.url), logger: Logger(label: "test"))
            defer { connection.close() }
            #expect(throws: NATSError.self) { _ = try connection.subscribe(to: "bad subject") }
        }
    }
}
