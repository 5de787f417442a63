import Logging
import PostgresNIO

/// Which streams hold events about which data subject (`subject_streams`): the store
/// records a pair the first time it seals an event of that subject for that stream, in a
/// statement of its own before the append, and remembers the pairs it recorded (bounded)
/// so that later appends send nothing. A pair whose append then failed stays: an export
/// reads that stream and finds nothing of the subject in it.
final class SubjectStreams: Sendable {
    private let recorded: BoundedCache<Pair, Bool>

    struct Pair: Hashable, Sendable {
        let tenant: String
        let subject: String
        let stream: String
    }

    init(capacity: Int = 100_000) {
        recorded = BoundedCache(capacity: capacity)
    }

    /// Records that `stream` of `tenant` holds events about `subject`, unless this process did already.
    func record(tenant: String, subject: String, stream: String, client: PostgresClient, logger: Logger) async throws {
        let pair = Pair(tenant: tenant, subject: subject, stream: stream)
        guard recorded.value(for: pair) == nil else { return }
        try await client.queryUnlessClosed("""
            INSERT INTO subject_streams (tenant_id, subject_id, stream_id) VALUES (\(tenant), \(subject), \(stream))
            ON CONFLICT DO NOTHING
            """, logger: logger)
        recorded.set(true, for: pair)
    }
}
