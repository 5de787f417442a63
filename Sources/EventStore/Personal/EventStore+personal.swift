import Domain
import Foundation

extension EventStore {
    /// The metadata fields that are personal data of an event's data subject, as paths of
    /// the stored metadata: where the request that wrote it came from.
    static let personalMetadata = ["clientIp", "userAgent"]

    /// `appends` with their events' personal fields sealed (``sealPersonalData(_:tenant:)``).
    func sealPersonalData(_ appends: [StreamAppend], tenant: String) async throws -> [StreamAppend] {
        guard appends.contains(where: { $0.events.contains { $0.metadata.dataSubject != nil } }) else { return appends }
        var sealed = appends
        for index in sealed.indices {
            sealed[index].events = try await sealPersonalData(appends[index].events, tenant: tenant)
            try await recordSubjects(of: appends[index], tenant: tenant)
        }
        return sealed
    }

    /// `events` with the personal fields of each one that names a data subject
    /// (``EventMetadata/dataSubject``) sealed with that subject's key, for `tenant`.
    /// - Throws: ``EventStoreError`` `subjectErased` when a subject was erased; `internalError`
    ///   when personal data is to be written and no master key is configured.
    func sealPersonalData(_ events: [NewEvent], tenant: String) async throws -> [NewEvent] {
        var sealed = events
        for (index, event) in events.enumerated() {
            guard let subject = event.metadata.dataSubject else { continue }
            guard let keyring else {
                throw EventStoreError(.internalError, "personal data cannot be written: no master key is configured")
            }
            let key: DataKey
            do {
                key = try await keyring.keyForWriting(tenant: tenant, subject: subject, client: client, logger: logger)
            } catch {
                throw readError(error)
            }
            sealed[index] = try Self.sealed(event, tenant: tenant, subject: subject, key: key)
        }
        return sealed
    }

    /// Records the stream of `append` as holding events about each data subject they name
    /// (``SubjectStreams``), which a subject's export reads.
    private func recordSubjects(of append: StreamAppend, tenant: String) async throws {
        guard let keyring else { return }
        for subject in Set(append.events.compactMap(\.metadata.dataSubject)) {
            do {
                try await keyring.streams.record(tenant: tenant, subject: subject, stream: append.stream, client: client, logger: logger)
            } catch {
                throw readError(error)
            }
        }
    }

    /// `events` with their personal fields in plaintext, or reading ``FieldCipher/erased``
    /// once their data subject is erased. Events that name no subject come back unchanged;
    /// so do all events when no master key is configured (the stored, sealed form).
    /// - Throws: ``EventStoreError`` `unavailable`; `internalError` when a key does not open
    ///   with the configured master keys.
    public func revealPersonalData(_ events: [RecordedEvent]) async throws -> [RecordedEvent] {
        guard let keyring else { return events }
        var revealed = events
        for (index, event) in events.enumerated() {
            guard let subject = try Self.dataSubject(of: event) else { continue }
            let key = try await keyForReading(keyring, tenant: event.tenant, subject: subject)
            revealed[index] = try Self.revealed(event, subject: subject, key: key)
        }
        return revealed
    }

    /// A metadata field (`clientIp`, `userAgent`) of event `eventID` as the log stores it,
    /// revealed: its plaintext when sealed for `subject`, ``FieldCipher/erased`` once the
    /// subject is erased; unchanged when it names no subject or no master key is configured.
    /// For read models that keep the stored form (the audit's).
    public func revealMetadataField(_ value: String?, named field: String, tenant: String, subject: String?,
                                    eventID: UUID) async throws -> String? {
        guard let value, let subject, let keyring, Self.personalMetadata.contains(field) else { return value }
        let key = try await keyForReading(keyring, tenant: tenant, subject: subject)
        return try Self.open(value, with: key, for: FieldPlace(tenant: tenant, subject: subject, eventID: eventID,
                                                               path: "metadata." + field, index: 0))
    }

    private func keyForReading(_ keyring: SubjectKeyring, tenant: String, subject: String) async throws -> DataKey? {
        do {
            return try await keyring.keyForReading(tenant: tenant, subject: subject, client: client, logger: logger)
        } catch {
            throw readError(error)
        }
    }

    /// `stored` opened for `place`, or ``FieldCipher/erased`` when the key is gone.
    private static func open(_ stored: String, with key: DataKey?, for place: FieldPlace) throws -> String {
        guard let key else { return FieldCipher.erased }
        return try FieldCipher.open(stored, with: key, for: place)
    }

    /// The data subject an event's metadata names, if any.
    static func dataSubject(of event: RecordedEvent) throws -> String? {
        guard event.metadata.contains("\"dataSubject\"") else { return nil }
        return try PersonalJSON.strings(in: event.metadata, paths: ["dataSubject"]).first?.value
    }

    private static func sealed(_ event: NewEvent, tenant: String, subject: String, key: DataKey) throws -> NewEvent {
        var sealed = event
        let place = { (path: String, index: Int) in
            FieldPlace(tenant: tenant, subject: subject, eventID: event.id, path: path, index: index)
        }
        sealed.data = try PersonalJSON.rewrite(event.data, paths: EventRegistry.personalFields(of: event.type).paths) {
            try FieldCipher.seal($0.value, with: key, for: place($0.path, $0.index))
        }
        if let ip = event.metadata.clientIp {
            sealed.metadata.clientIp = try FieldCipher.seal(ip, with: key, for: place("metadata.clientIp", 0))
        }
        if let agent = event.metadata.userAgent {
            sealed.metadata.userAgent = try FieldCipher.seal(agent, with: key, for: place("metadata.userAgent", 0))
        }
        return sealed
    }

    private static func revealed(_ event: RecordedEvent, subject: String, key: DataKey?) throws -> RecordedEvent {
        let open = { (occurrence: PersonalJSON.Occurrence, path: String) throws -> String in
            try Self.open(occurrence.value, with: key,
                          for: FieldPlace(tenant: event.tenant, subject: subject, eventID: event.id, path: path, index: occurrence.index))
        }
        let data = try PersonalJSON.rewrite(event.data, paths: EventRegistry.personalFields(of: event.type).paths) {
            try open($0, $0.path)
        }
        let metadata = try PersonalJSON.rewrite(event.metadata, paths: personalMetadata) { try open($0, "metadata." + $0.path) }
        return RecordedEvent(id: event.id, tenant: event.tenant, stream: event.stream, category: event.category,
                             streamVersion: event.streamVersion, type: event.type, schemaVersion: event.schemaVersion,
                             data: data, metadata: metadata, recordedAtMicros: event.recordedAtMicros,
                             cursor: event.cursor, hash: event.hash)
    }
}
