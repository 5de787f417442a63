import Crypto
import Foundation
import Logging
import PostgresNIO

/// The data subjects' keys of one database (`subject_keys`), unwrapped with the master key
/// and kept a short while in a bounded cache.
///
/// A key is made the first time a subject's personal data is written, in a statement of its
/// own (an append must be its transaction's first write). Once the subject is erased its
/// wrapped key is gone: writing for it is refused, and reading finds no key. A key another
/// process erased stays in this one's cache for at most ``cacheLifetime``.
public final class SubjectKeyring: Sendable {
    /// The master key that wraps new keys.
    public let master: MasterKey
    /// Master keys still accepted for unwrapping, while a rotation re-wraps their keys.
    public let previous: [MasterKey]
    let clock: WallClock
    private let cache: BoundedCache<Subject, Cached>
    /// The subject/stream pairs this process recorded (for exports).
    let streams = SubjectStreams()

    /// How long a key stays in the cache: the most a key erased by another process is still used here.
    public static let cacheLifetime: TimeInterval = 10

    struct Subject: Hashable, Sendable {
        let tenant: String
        let id: String
    }

    private struct Cached: Sendable {
        let key: DataKey?
        let fetchedAt: Date
    }

    public init(master: MasterKey, previous: [MasterKey] = [], capacity: Int = 10_000, clock: WallClock = .system) {
        self.master = master
        self.previous = previous
        self.clock = clock
        cache = BoundedCache(capacity: capacity)
    }

    /// The key to encrypt `subject`'s personal data with, made when it has none.
    /// - Throws: ``EventStoreError`` `subjectErased`; `internalError` when the stored key
    ///   does not open with the configured master keys; the database's errors as they come
    ///   (the store maps them, ``EventStore/readError(_:)``).
    func keyForWriting(tenant: String, subject: String, client: PostgresClient, logger: Logger) async throws -> DataKey {
        if let key = try await keyForReading(tenant: tenant, subject: subject, client: client, logger: logger) { return key }
        let material = DataKey.generate()
        let wrapped = try master.wrap(material, tenant: tenant, subject: subject)
        try await client.queryUnlessClosed("""
            INSERT INTO subject_keys (tenant_id, subject_id, wrapped_key, master_key_id)
            VALUES (\(tenant), \(subject), \(wrapped), \(master.id))
            ON CONFLICT (tenant_id, subject_id) DO NOTHING
            """, logger: logger)
        cache.removeValue(for: Subject(tenant: tenant, id: subject))
        // Another process may have made it first, or erased it meanwhile: what is stored counts.
        guard let key = try await keyForReading(tenant: tenant, subject: subject, client: client, logger: logger) else {
            throw EventStoreError(.subjectErased, "data subject \(subject) was erased: nothing more is written about it")
        }
        return key
    }

    /// The key of `subject`; nil when it was erased or never had one. Throws as
    /// ``keyForWriting(tenant:subject:client:logger:)``.
    func keyForReading(tenant: String, subject: String, client: PostgresClient, logger: Logger) async throws -> DataKey? {
        let name = Subject(tenant: tenant, id: subject)
        let now = clock.now()
        if let cached = cache.value(for: name), now.timeIntervalSince(cached.fetchedAt) < Self.cacheLifetime {
            return cached.key
        }
        let rows = try await client.queryUnlessClosed("""
            SELECT wrapped_key, master_key_id FROM subject_keys WHERE tenant_id = \(tenant) AND subject_id = \(subject)
            """, logger: logger)
        let stored: (wrapped: Data?, masterID: String)? = try rows.first.map { try $0.decode((Data?, String).self) }
        guard let stored else { return nil }   // never had one: not cached, it may be made any moment
        let key = try stored.wrapped.map { try unwrap($0, masterID: stored.masterID, tenant: tenant, subject: subject) }
        cache.set(Cached(key: key, fetchedAt: now), for: name)
        return key
    }

    /// Drops `subject`'s key from this process's cache (it was erased).
    func forget(tenant: String, subject: String) {
        cache.removeValue(for: Subject(tenant: tenant, id: subject))
    }

    private func unwrap(_ wrapped: Data, masterID: String, tenant: String, subject: String) throws -> DataKey {
        DataKey(try material(wrapped, masterID: masterID, tenant: tenant, subject: subject))
    }

    /// `wrapped` (by master key `masterID`) wrapped again by ``master``: the same subject
    /// key, so every field it sealed opens as before.
    /// - Throws: ``EventStoreError`` `internalError` as ``keyForReading(tenant:subject:client:logger:)``.
    func rewrapped(_ wrapped: Data, masterID: String, tenant: String, subject: String) throws -> Data {
        try master.wrap(try material(wrapped, masterID: masterID, tenant: tenant, subject: subject), tenant: tenant, subject: subject)
    }

    private func material(_ wrapped: Data, masterID: String, tenant: String, subject: String) throws -> SymmetricKey {
        guard let wrapping = ([master] + previous).first(where: { $0.id == masterID }) else {
            throw EventStoreError(.internalError,
                "the key of a data subject is wrapped by master key \(masterID), which is not configured (this process has \(([master] + previous).map(\.id).joined(separator: ", ")))")
        }
        do {
            return try wrapping.unwrap(wrapped, tenant: tenant, subject: subject)
        } catch {
            throw EventStoreError(.internalError, "the key of a data subject does not open with master key \(masterID)", underlying: error)
        }
    }
}

extension EventStore {
    /// Checks that the configured master keys open every stored subject key: a process
    /// started with a wrong master key stops at once, naming the keys it lacks, instead
    /// of failing at its first personal read.
    /// - Throws: ``EventStoreError`` `internalError` naming the missing master key ids;
    ///   `unavailable`.
    public func checkMasterKeys() async throws {
        guard let keyring else { return }
        let configured = Set(([keyring.master] + keyring.previous).map(\.id))
        var missing: [String] = []
        do {
            let rows = try await client.queryUnlessClosed("""
                SELECT DISTINCT master_key_id FROM subject_keys WHERE wrapped_key IS NOT NULL ORDER BY master_key_id
                """, logger: logger)
            for row in rows {
                let id = try row.decode(String.self)
                if !configured.contains(id) { missing.append(id) }
            }
        } catch {
            throw readError(error)
        }
        guard missing.isEmpty else {
            throw EventStoreError(.internalError, """
                subject keys in this database are wrapped by master key \(missing.joined(separator: ", ")), \
                which is not configured (configured: \(configured.sorted().joined(separator: ", "))): \
                start with that key, or with it in EVENTLOOM_MASTER_KEY_PREVIOUS while rotating
                """)
        }
    }
}
