import Crypto

/// The per-stream hash chain: `hash = SHA-256(previous hash || canonical bytes)`.
///
/// The canonical bytes are nine fields, each its UTF-8 text prefixed by the text's byte
/// length as a 4-byte big-endian integer: event id (lowercase UUID), tenant, stream,
/// stream version (decimal), type, schema version (decimal), data and metadata
/// (PostgreSQL's text rendering of the JSONB), recorded-at (microseconds since the Unix
/// epoch, decimal). The first event's previous hash is 32 zero bytes. docs/hash-chain.md
/// has the same layout for independent checkers; `eventloom_event_hash` computes it on
/// append.
public enum HashChain {
    /// The "previous hash" of a stream's first event.
    public static let genesis = [UInt8](repeating: 0, count: 32)

    /// The hash of `event`, given the hash of the event before it in its stream.
    public static func link(previous: [UInt8], _ event: RecordedEvent) -> [UInt8] {
        var bytes = previous
        for field in canonicalFields(event) {
            let utf8 = Array(field.utf8)
            withUnsafeBytes(of: UInt32(utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: utf8)
        }
        return Array(SHA256.hash(data: bytes))
    }

    static func canonicalFields(_ event: RecordedEvent) -> [String] {
        [event.id.uuidString.lowercased(), event.tenant, event.stream, String(event.streamVersion),
         event.type, String(event.schemaVersion), event.data, event.metadata, String(event.recordedAtMicros)]
    }
}
