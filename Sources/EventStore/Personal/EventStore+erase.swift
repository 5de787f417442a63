import Foundation
import PostgresNIO
import Synchronization

extension EventStore {
    /// What a personal field of an erased subject reads as, wherever it is revealed.
    public static let erasedText = FieldCipher.erased

    /// The notification payload that tells every process a subject was erased.
    static let erasurePayload = "erased"

    /// What the key store knows of data subject `subject` of `tenant`: nothing (no personal
    /// data of it was ever written), that it holds its key, or when it was erased.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func subjectKeyState(tenant: String, subject: String) async throws -> SubjectKeyState {
        do {
            let rows = try await client.queryUnlessClosed("""
                SELECT erased_at FROM subject_keys WHERE tenant_id = \(tenant) AND subject_id = \(subject)
                """, logger: logger)
            guard let row = rows.first else { return .unknown }
            return try row.decode(Date?.self).map(SubjectKeyState.erased(at:)) ?? .held
        } catch {
            throw readError(error)
        }
    }

    /// Erases data subject `subject` of `tenant`: appends `erasure` (its `SubjectErased`,
    /// decided on the subject's stream at version `expected`) to `stream` and destroys the
    /// subject's key, the content of its private documents and the ingestion chunks embedded
    /// from it in the same transaction, so that the record and the destruction
    /// commit together or not at all. Later writes of its personal data are refused; every
    /// personal field sealed with the key reads as erased. This process forgets the key at
    /// once, the others on the notification sent after the commit (or, if it is lost,
    /// within ``SubjectKeyring/cacheLifetime``).
    /// - Throws: ``EventStoreError`` as ``append(tenant:_:on:)`` (`wrongExpectedVersion`
    ///   when another erasure got there first), `unavailable`.
    public func eraseSubject(tenant: String, subject: String, stream: String, expected: ExpectedVersion,
                             erasure: NewEvent) async throws -> AppendResult {
        let masterID = keyring?.master.id ?? "none"
        let result = try await withTransaction { connection in
            let result = try await append(tenant: tenant, [StreamAppend(stream: stream, expected: expected, events: [erasure])],
                                          on: connection)
            try await connection.queryUnlessClosed("""
                INSERT INTO subject_keys (tenant_id, subject_id, wrapped_key, master_key_id, erased_at)
                VALUES (\(tenant), \(subject), NULL, \(masterID), now())
                ON CONFLICT (tenant_id, subject_id)
                DO UPDATE SET wrapped_key = NULL, erased_at = coalesce(subject_keys.erased_at, now())
                """, logger: logger)
            // The content of the subject's private documents (ContentStore) goes with the key,
            // and so do the chunks embedded from it (ChunkStore) and the parts staged for it.
            // A task staging or committing chunks of the content holds its row until it ends:
            // the content's delete waits for it, and each later delete, a statement of its
            // own, sees what that task wrote. (Such a task's success may then follow the
            // erasure in the log: the search read model counts it as erased.)
            let gone = try await connection.queryUnlessClosed("""
                DELETE FROM document_contents WHERE tenant_id = \(tenant) AND scope = \(subject) RETURNING encode(sha256, 'hex')
                """, logger: logger).map { try $0.decode(String.self) }
            try await connection.queryUnlessClosed("""
                DELETE FROM ingestion_staged_chunks
                 WHERE tenant_id = \(tenant) AND split_part(task_id, ':', 3) = ANY(\(gone))
                   AND NOT EXISTS (SELECT 1 FROM document_contents c
                                    WHERE c.tenant_id = \(tenant) AND encode(c.sha256, 'hex') = split_part(task_id, ':', 3))
                """, logger: logger)
            try await connection.queryUnlessClosed("""
                DELETE FROM ingestion_chunks WHERE tenant_id = \(tenant) AND scope = \(subject)
                """, logger: logger)
            return result
        }
        didCommit()
        forgetErased(tenant: tenant, subject: subject)
        do {
            try await client.queryUnlessClosed("""
                SELECT pg_notify(\(Self.notificationChannel), \("\(Self.erasurePayload) \(tenant) \(subject)"))
                """, logger: logger)
        } catch {
            logger.warning("other processes learn of the erasure only when their cached key expires",
                           metadata: ["subject": "\(subject)", "error": "\(error)"])
        }
        return result
    }

    /// Drops what this process keeps of an erased subject: its key, and every state folded
    /// before (``erasureEpoch``: state caches drop their entries when it moves).
    func forgetErased(tenant: String, subject: String) {
        erasures.forget(tenant: tenant, subject: subject)
    }

    /// Moves each time this process learns of an erasure: a state cache filled before holds
    /// states folded from personal data that is now erased.
    public var erasureEpoch: UInt64 { erasures.epoch }

    /// The tenant and subject an erasure notification names; nil for another payload.
    static func erasure(in payload: String) -> (tenant: String, subject: String)? {
        let words = payload.split(separator: " ")
        guard words.count == 3, words[0] == Substring(erasurePayload) else { return nil }
        return (String(words[1]), String(words[2]))
    }
}

/// What the key store knows of a data subject.
public enum SubjectKeyState: Sendable, Hashable {
    /// No personal data of it was ever written: it has no key.
    case unknown
    /// Its key is held: its personal data reads in clear to those who may read it.
    case held
    /// Its key was destroyed at `at`.
    case erased(at: Date)
}

/// What a process knows of erasures: it forgets an erased subject's key and counts the
/// erasures it learnt of, in this process or by notification from another.
final class ErasureBoard: Sendable {
    private let keyring: SubjectKeyring?
    private let count = Atomic<UInt64>(0)

    init(keyring: SubjectKeyring?) {
        self.keyring = keyring
    }

    func forget(tenant: String, subject: String) {
        keyring?.forget(tenant: tenant, subject: subject)
        count.add(1, ordering: .sequentiallyConsistent)
    }

    var epoch: UInt64 { count.load(ordering: .sequentiallyConsistent) }
}
