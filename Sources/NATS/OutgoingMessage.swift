import CNATS

/// A message to publish: subject, headers in order, payload.
public struct OutgoingMessage: Sendable {
    public var subject: String
    public var headers: [(name: String, value: String)]
    public var payload: [UInt8]

    public init(subject: String, headers: [(name: String, value: String)] = [], payload: [UInt8]) {
        self.subject = subject
        self.headers = headers
        self.payload = payload
    }

    /// The bytes the message takes on the wire against the server's maximum payload:
    /// the header block (`NATS/1.0`, one line per header, a blank line) and the payload.
    public var size: Int {
        let headerBytes = headers.isEmpty ? 0 : headers.reduce(12) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
        return headerBytes + payload.count
    }

    /// A new C message (`natsMsg *`) the caller must destroy or hand over.
    func makeCMessage() throws(NATSError) -> OpaquePointer {
        var msg: OpaquePointer?
        let status = payload.withUnsafeBytes { bytes in
            natsMsg_Create(&msg, subject, nil, bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                           Int32(bytes.count))
        }
        try check(status, "create message for \(subject)")
        for header in headers {
            let status = natsMsgHeader_Add(msg, header.name, header.value)
            guard status == NATS_OK else {
                natsMsg_Destroy(msg)
                throw NATSError(status: status, operation: "set header \(header.name)")
            }
        }
        return msg!
    }
}
