import CNATS

/// A failure reported by the NATS client or by the JetStream API.
///
/// `description` is safe to show; it carries the library's text and, for JetStream
/// API errors, the server's error code.
public struct NATSError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The `natsStatus` value of the C client.
        public let status: UInt32

        public static let timeout = Code(status: NATS_TIMEOUT.rawValue)
        public static let notFound = Code(status: NATS_NOT_FOUND.rawValue)
        public static let noResponders = Code(status: NATS_NO_RESPONDERS.rawValue)
        public static let connectionClosed = Code(status: NATS_CONNECTION_CLOSED.rawValue)
        public static let noServer = Code(status: NATS_NO_SERVER.rawValue)
        public static let invalidArgument = Code(status: NATS_INVALID_ARG.rawValue)
        public static let insufficientBuffer = Code(status: NATS_INSUFFICIENT_BUFFER.rawValue)
        /// An error returned by the JetStream API; see ``NATSError/jetStreamCode``.
        public static let jetStream = Code(status: NATS_ERR.rawValue)

        public var description: String { String(cString: natsStatus_GetText(natsStatus(status))) }
    }

    public let code: Code
    /// JetStream's own error code (e.g. 10071 wrong last sequence), when the server sent one.
    public let jetStreamCode: Int?
    /// What was being done, e.g. "fetch from consumer relay".
    public let operation: String
    public let message: String

    public init(code: Code, jetStreamCode: Int? = nil, operation: String, message: String) {
        self.code = code
        self.jetStreamCode = jetStreamCode
        self.operation = operation
        self.message = message
    }

    init(status: natsStatus, jsErrCode: jsErrCode = jsErrCode(0), operation: String) {
        let lastError = nats_GetLastError(nil).map { String(cString: $0) } ?? ""
        self.init(
            code: Code(status: status.rawValue),
            jetStreamCode: jsErrCode.rawValue == 0 ? nil : Int(jsErrCode.rawValue),
            operation: operation,
            message: lastError.isEmpty ? String(cString: natsStatus_GetText(status)) : lastError)
    }

    public var description: String {
        let code = jetStreamCode.map { " (JetStream error \($0))" } ?? ""
        return "NATS: \(operation) failed: \(message)\(code)"
    }
}

/// JetStream API error codes this package reacts to.
public enum JetStreamErrorCode {
    /// The stream exists with a different configuration.
    public static let streamNameInUse = 10058
    /// The stream does not exist.
    public static let streamNotFound = 10059
    /// The message does not exist.
    public static let messageNotFound = 10037
    /// `Nats-Expected-Last-Sequence` did not match.
    public static let wrongLastSequence = 10071
    /// The consumer does not exist.
    public static let consumerNotFound = 10014
}

/// Throws unless `status` is `NATS_OK`.
func check(_ status: natsStatus, _ operation: @autoclosure () -> String,
           jsError: jsErrCode = jsErrCode(0)) throws(NATSError) {
    guard status != NATS_OK else { return }
    throw NATSError(status: status, jsErrCode: jsError, operation: operation())
}
