import CNATS
import Logging

/// Receives the C client's connection events on its threads and logs them.
///
/// Retained while the connection lives; released by the closed callback, the last one
/// the C client makes for a connection.
final class ConnectionCallbacks: Sendable {
    let logger: Logger
    let url: String

    init(logger: Logger, url: String) {
        self.logger = logger
        self.url = url
    }

    private static func from(_ closure: UnsafeMutableRawPointer?) -> ConnectionCallbacks {
        Unmanaged<ConnectionCallbacks>.fromOpaque(closure!).takeUnretainedValue()
    }

    static let disconnected: natsConnectionHandler = { connection, closure in
        let callbacks = from(closure)
        // Closing disconnects too; only an unexpected loss is worth a warning.
        guard natsConnection_Status(connection) != NATS_CONN_STATUS_CLOSED else { return }
        callbacks.logger.warning("nats: disconnected; reconnecting", metadata: ["url": "\(callbacks.url)"])
    }

    static let reconnected: natsConnectionHandler = { _, closure in
        let callbacks = from(closure)
        callbacks.logger.info("nats: reconnected", metadata: ["url": "\(callbacks.url)"])
    }

    static let closed: natsConnectionHandler = { _, closure in
        let callbacks = from(closure)
        callbacks.logger.debug("nats: connection closed", metadata: ["url": "\(callbacks.url)"])
        Unmanaged<ConnectionCallbacks>.fromOpaque(closure!).release()
    }

    static let asyncError: natsErrHandler = { _, _, status, closure in
        let callbacks = from(closure)
        callbacks.logger.warning("nats: asynchronous error",
            metadata: ["error": "\(String(cString: natsStatus_GetText(status)))"])
    }
}
