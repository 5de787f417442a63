/// The parts of a JetStream stream's configuration this package sets.
public struct StreamConfiguration: Sendable, Equatable {
    public var name: String
    public var subjects: [String]
    /// How long the server remembers `Nats-Msg-Id`s to drop duplicates.
    public var duplicateWindow: Duration
    /// File storage survives a server restart; memory storage does not.
    public var fileStorage: Bool

    public init(name: String, subjects: [String], duplicateWindow: Duration = .seconds(120), fileStorage: Bool = true) {
        self.name = name
        self.subjects = subjects
        self.duplicateWindow = duplicateWindow
        self.fileStorage = fileStorage
    }
}

/// A stream's state as the server reported it.
public struct StreamState: Sendable, Equatable {
    public let messages: UInt64
    public let firstSequence: UInt64
    /// The sequence of the last message stored, 0 when none ever was.
    public let lastSequence: UInt64
}

/// The server's acknowledgment of a message stored in a stream.
public struct PublishAck: Sendable, Equatable {
    public let stream: String
    public let sequence: UInt64
    /// The server already held a message with this `Nats-Msg-Id` and stored nothing.
    public let duplicate: Bool
}

/// How a JetStream publish is checked by the server.
public struct PublishOptions: Sendable {
    /// `Nats-Msg-Id`: the server drops a second message with the same id inside its window.
    public var messageID: String?
    /// The server stores the message only if the stream's last sequence is this one;
    /// 0 means the stream must be empty.
    public var expectedLastSequence: UInt64?
    /// How long to wait for the acknowledgment before the publish fails with `timeout`.
    public var ackTimeout: Duration

    public init(messageID: String? = nil, expectedLastSequence: UInt64? = nil, ackTimeout: Duration = .seconds(5)) {
        self.messageID = messageID
        self.expectedLastSequence = expectedLastSequence
        self.ackTimeout = ackTimeout
    }
}
