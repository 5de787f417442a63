import Foundation
import PostgresNIO

extension EventStore {
    /// Wraps every subject key not yet wrapped by the configured master key again with it,
    /// in one transaction: a rotation of the master key (docs/erasure.md). No event is
    /// rewritten: the subjects' keys stay the same, only their wrapping changes. The keys are
    /// locked meanwhile, so an erasure waits for the rotation (and the rotation skips a key
    /// erased before it).
    /// - Returns: how many keys were wrapped again.
    /// - Throws: ``EventStoreError`` `invalidInput` without a keyring; `internalError`
    ///   when a key is wrapped by a master key that is neither the configured one nor one of
    ///   the previous ones (nothing is changed); `unavailable`.
    public func rotateMasterKey() async throws -> Int {
        guard let keyring else { throw EventStoreError.invalid("no master key is configured") }
        do {
            return try await withTransaction { connection in
                let rows = try await connection.queryUnlessClosed("""
                    SELECT tenant_id, subject_id, wrapped_key, master_key_id FROM subject_keys
                     WHERE wrapped_key IS NOT NULL AND master_key_id <> \(keyring.master.id)
                     ORDER BY tenant_id, subject_id FOR UPDATE
                    """, logger: logger)
                for row in rows {
                    let (tenant, subject, wrapped, masterID) = try row.decode((String, String, Data, String).self)
                    let rewrapped = try keyring.rewrapped(wrapped, masterID: masterID, tenant: tenant, subject: subject)
                    try await connection.queryUnlessClosed("""
                        UPDATE subject_keys SET wrapped_key = \(rewrapped), master_key_id = \(keyring.master.id)
                         WHERE tenant_id = \(tenant) AND subject_id = \(subject)
                        """, logger: logger)
                }
                return rows.count
            }
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw readError(error)
        }
    }
}
