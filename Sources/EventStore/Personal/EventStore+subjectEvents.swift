import Foundation
import PostgresNIO

extension EventStore {
    /// The streams of `tenant` that hold events about data subject `subject` (each
    /// recorded the first time the store sealed such an event for it), sorted.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func streams(about subject: String, tenant: String) async throws -> [String] {
        do {
            return try await client.queryUnlessClosed("""
                SELECT stream_id FROM subject_streams WHERE tenant_id = \(tenant) AND subject_id = \(subject) ORDER BY stream_id
                """, logger: logger).map { try $0.decode(String.self) }
        } catch {
            throw readError(error)
        }
    }
}

extension RecordedEvent {
    /// The data subject the event's metadata names, if any (nil too for metadata that is not JSON).
    public var dataSubject: String? { try? EventStore.dataSubject(of: self) }
}
