import Foundation

extension AppendPlan {
    static func validate(tenant: String, appends: [StreamAppend], limits: AppendLimits) throws {
        guard Identifiers.isValidTenant(tenant) else {
            throw EventStoreError.invalid("tenant id must be 1-64 characters of [A-Za-z0-9_-]")
        }
        guard !appends.isEmpty else { throw EventStoreError.invalid("an append needs at least one stream") }
        guard appends.count <= limits.maximumStreams else {
            throw EventStoreError.invalid("an append may touch at most \(limits.maximumStreams) streams")
        }
        guard Set(appends.map(\.stream)).count == appends.count else {
            throw EventStoreError.invalid("a stream may appear only once in an append")
        }
        let events = appends.flatMap(\.events)
        guard !events.isEmpty else { throw EventStoreError.invalid("an append needs at least one event") }
        guard events.count <= limits.maximumEvents else {
            throw EventStoreError.invalid("an append may carry at most \(limits.maximumEvents) events")
        }
        guard Set(events.map(\.id)).count == events.count else {
            throw EventStoreError.invalid("an event id may appear only once in an append")
        }
        for append in appends { try validate(append) }
        var totalBytes = 0
        for event in events {
            try validate(event, limits: limits)
            totalBytes += event.data.utf8.count
        }
        guard totalBytes <= limits.maximumAppendBytes else {
            throw EventStoreError.invalid("an append may carry at most \(limits.maximumAppendBytes) bytes of data")
        }
    }

    private static func validate(_ append: StreamAppend) throws {
        guard Identifiers.isValidStream(append.stream) else {
            throw EventStoreError.invalid(
                "stream id \(quoted(append.stream)) must be 1-200 characters of [A-Za-z0-9_.:-] "
                + "with a category (the part before the first '-') of [A-Za-z0-9_]")
        }
        if case .exact(let version) = append.expected, version < 0 {
            throw EventStoreError.invalid("expected version must not be negative")
        }
        // A stream without events is a guard: the append holds only if it is still at that version.
        if append.events.isEmpty {
            guard case .exact(let version) = append.expected, version > 0 else {
                throw EventStoreError.invalid(
                    "stream \(append.stream) has no events: a guard needs an exact expected version of at least 1")
            }
        }
    }

    private static func validate(_ event: NewEvent, limits: AppendLimits) throws {
        guard Identifiers.isValidType(event.type) else {
            throw EventStoreError.invalid(
                "event type \(quoted(event.type)) must be 1-100 characters of [A-Za-z0-9_], starting with a letter")
        }
        guard (1...10_000).contains(event.schemaVersion) else {
            throw EventStoreError.invalid("schema version must be between 1 and 10000")
        }
        guard event.data.utf8.count <= limits.maximumEventBytes else {
            throw EventStoreError.invalid("event data may be at most \(limits.maximumEventBytes) bytes")
        }
        guard event.data.utf8.first(where: { !isJSONWhitespace($0) }) == UInt8(ascii: "{") else {
            throw EventStoreError.invalid("event data must be a JSON object")
        }
        guard event.metadata.fields.allSatisfy({ ($0?.utf8.count ?? 0) <= limits.maximumMetadataFieldBytes }) else {
            throw EventStoreError.invalid(
                "each metadata field may be at most \(limits.maximumMetadataFieldBytes) bytes")
        }
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func quoted(_ text: String) -> String {
        "\"\(text.prefix(64))\(text.count > 64 ? "…" : "")\""
    }
}
