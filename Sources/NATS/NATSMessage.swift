import CNATS
import Foundation

/// A received message, copied out of the C client's memory.
public struct NATSMessage: Sendable {
    public let subject: String
    public let reply: String?
    /// Header values by name, in the order they were sent.
    public let headers: [String: [String]]
    public let payload: [UInt8]

    /// The first value of header `name`.
    public func header(_ name: String) -> String? { headers[name]?.first }

    /// Copies `msg` (`natsMsg *`); the caller keeps ownership.
    init(copying msg: OpaquePointer) {
        subject = String(cString: natsMsg_GetSubject(msg))
        reply = natsMsg_GetReply(msg).map { String(cString: $0) }
        let length = Int(natsMsg_GetDataLength(msg))
        if length > 0, let data = natsMsg_GetData(msg) {
            payload = data.withMemoryRebound(to: UInt8.self, capacity: length) {
                Array(UnsafeBufferPointer(start: $0, count: length))
            }
        } else {
            payload = []
        }
        headers = Self.headers(of: msg)
    }

    private static func headers(of msg: OpaquePointer) -> [String: [String]] {
        var keys: UnsafeMutablePointer<UnsafePointer<CChar>?>?
        var count: Int32 = 0
        guard natsMsgHeader_Keys(msg, &keys, &count) == NATS_OK, let keys else { return [:] }
        defer { free(keys) }
        var headers: [String: [String]] = [:]
        for index in 0..<Int(count) {
            guard let key = keys[index] else { continue }
            headers[String(cString: key)] = values(of: key, in: msg)
        }
        return headers
    }

    private static func values(of key: UnsafePointer<CChar>, in msg: OpaquePointer) -> [String] {
        var values: UnsafeMutablePointer<UnsafePointer<CChar>?>?
        var count: Int32 = 0
        guard natsMsgHeader_Values(msg, key, &values, &count) == NATS_OK, let values else { return [] }
        defer { free(values) }
        return (0..<Int(count)).compactMap { values[$0].map { String(cString: $0) } }
    }
}
