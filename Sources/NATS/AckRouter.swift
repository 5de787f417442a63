import CNATS
import Synchronization

/// Routes the C client's publish acks, which arrive on its threads, to the
/// ``PendingAck`` of each message, and frees the message's in-flight slot.
final class AckRouter: Sendable {
    let limit: InFlightLimit
    /// Pending acks by the address of their C message, which stays allocated until its ack.
    private let pending = Mutex<[UInt: PendingAck]>([:])

    init(limit: Int) {
        self.limit = InFlightLimit(limit)
    }

    func register(_ ack: PendingAck, for msg: OpaquePointer) {
        pending.withLock { $0[UInt(bitPattern: Int(bitPattern: msg))] = ack }
    }

    func unregister(_ msg: OpaquePointer) {
        _ = take(msg)
    }

    /// Settles every pending ack with `error` and frees their slots: their messages will
    /// never be acknowledged (the connection closed, or the context was destroyed).
    func failAll(_ error: NATSError) {
        let abandoned = pending.withLock { pending -> [PendingAck] in
            defer { pending.removeAll() }
            return Array(pending.values)
        }
        for ack in abandoned {
            limit.release()
            ack.settle(.failure(error))
        }
    }

    private func take(_ msg: OpaquePointer) -> PendingAck? {
        pending.withLock { $0.removeValue(forKey: UInt(bitPattern: Int(bitPattern: msg))) }
    }

    /// Called by the C client once per published message, with either `pa` or `pae`.
    /// Both belong to the client; the message is ours to destroy.
    static let handler: jsPubAckHandler = { _, msg, pa, pae, closure in
        let router = Unmanaged<AckRouter>.fromOpaque(closure!).takeUnretainedValue()
        guard let msg else { return }
        let ack = router.take(msg)
        natsMsg_Destroy(msg)
        guard let ack else { return }
        router.limit.release()
        ack.settle(result(pa, pae))
    }

    private static func result(_ pa: UnsafeMutablePointer<jsPubAck>?, _ pae: UnsafeMutablePointer<jsPubAckErr>?)
        -> Result<PublishAck, NATSError>
    {
        if let pa = pa?.pointee {
            return .success(PublishAck(stream: pa.Stream.map { String(cString: $0) } ?? "",
                                       sequence: pa.Sequence, duplicate: pa.Duplicate))
        }
        let error = pae?.pointee
        let status = error?.Err ?? NATS_ERR
        let code = error.map { Int($0.ErrCode.rawValue) } ?? 0
        return .failure(NATSError(
            code: NATSError.Code(status: status.rawValue), jetStreamCode: code == 0 ? nil : code,
            operation: "publish",
            message: error?.ErrText.map { String(cString: $0) } ?? String(cString: natsStatus_GetText(status))))
    }
}
