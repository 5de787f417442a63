import CNATS
import Logging
import Synchronization

/// A connection to a NATS server that reconnects by itself, for ever, until closed.
///
/// Publishing while disconnected buffers up to the C client's reconnect buffer (8 MB)
/// and then fails with ``NATSError/Code-swift.struct/insufficientBuffer``.
public final class NATSConnection: @unchecked Sendable {
    /// The C connection (`natsConnection *`); valid until `deinit`.
    let pointer: OpaquePointer
    private let callbacks: ConnectionCallbacks
    /// Ack routers C callbacks of this connection point to: released only with the connection.
    private let routers = Mutex<[AckRouter]>([])
    public let url: String

    private init(pointer: OpaquePointer, callbacks: ConnectionCallbacks, url: String) {
        self.pointer = pointer
        self.callbacks = callbacks
        self.url = url
    }

    deinit {
        close()
        natsConnection_Destroy(pointer)
    }

    /// Connects, trying once for `options.connectTimeout`.
    /// - Throws: ``NATSError`` (``NATSError/Code-swift.struct/noServer`` when nothing answers).
    public static func connect(_ options: NATSConnectionOptions, logger: Logger) async throws -> NATSConnection {
        let callbacks = ConnectionCallbacks(logger: logger, url: options.url)
        let closure = UnsafeSend(Unmanaged.passRetained(callbacks).toOpaque())
        do {
            let pointer = try await BlockingCalls.run { try connectBlocking(options, closure: closure.value) }
            return NATSConnection(pointer: pointer.value, callbacks: callbacks, url: options.url)
        } catch {
            Unmanaged<ConnectionCallbacks>.fromOpaque(closure.value).release()
            throw error
        }
    }

    /// Whether the connection is up right now (not connecting, reconnecting or closed).
    public var isConnected: Bool {
        natsConnection_Status(pointer) == NATS_CONN_STATUS_CONNECTED
    }

    /// The largest message (headers and payload) the server accepts, in bytes.
    public var maxPayload: Int {
        Int(natsConnection_GetMaxPayload(pointer))
    }

    /// Closes the connection; later calls fail with `connectionClosed`, and publishes still
    /// awaiting their ack fail with it too. Idempotent.
    public func close() {
        natsConnection_Close(pointer)
        let closed = NATSError(code: .connectionClosed, operation: "publish", message: "the connection closed before the ack")
        for router in routers.withLock({ $0 }) { router.failAll(closed) }
    }

    /// Keeps `router` alive as long as the connection, for the ack callbacks that point to it.
    func keepUntilClosed(_ router: AckRouter) {
        routers.withLock { $0.append(router) }
    }

    /// Sends `message` (core NATS: at most once, no acknowledgment).
    public func publish(_ message: OutgoingMessage) throws(NATSError) {
        let msg = try message.makeCMessage()
        defer { natsMsg_Destroy(msg) }
        try check(natsConnection_PublishMsg(pointer, msg), "publish to \(message.subject)")
    }

    /// Waits until the server has processed everything sent so far.
    public func flush(timeout: Duration = .seconds(5)) async throws {
        let connection = UnsafeSend(pointer)
        try await BlockingCalls.run {
            try check(natsConnection_FlushTimeout(connection.value, timeout.milliseconds), "flush")
        }
    }

    private static func connectBlocking(_ options: NATSConnectionOptions, closure: UnsafeMutableRawPointer) throws
        -> UnsafeSend<OpaquePointer>
    {
        var opts: OpaquePointer?
        try check(natsOptions_Create(&opts), "create options")
        defer { natsOptions_Destroy(opts) }
        try check(natsOptions_SetURL(opts, options.url), "set url \(options.url)")
        try check(natsOptions_SetName(opts, options.name), "set name")
        try check(natsOptions_SetTimeout(opts, options.connectTimeout.milliseconds), "set timeout")
        try check(natsOptions_SetMaxReconnect(opts, -1), "set reconnect")
        try check(natsOptions_SetReconnectWait(opts, options.reconnectWait.milliseconds), "set reconnect wait")
        try check(natsOptions_SetPingInterval(opts, options.pingInterval.milliseconds), "set ping interval")
        try check(natsOptions_SetDisconnectedCB(opts, ConnectionCallbacks.disconnected, closure), "set callback")
        try check(natsOptions_SetReconnectedCB(opts, ConnectionCallbacks.reconnected, closure), "set callback")
        try check(natsOptions_SetClosedCB(opts, ConnectionCallbacks.closed, closure), "set callback")
        try check(natsOptions_SetErrorHandler(opts, ConnectionCallbacks.asyncError, closure), "set callback")
        var connection: OpaquePointer?
        try check(natsConnection_Connect(&connection, opts), "connect to \(options.url)")
        return UnsafeSend(connection!)
    }
}

/// Carries a C pointer across a concurrency boundary; the owner guarantees its lifetime.
struct UnsafeSend<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
