import Domain
import Foundation
import PostgresNIO

extension EventStore {
    /// A stream's state as of a version or an instant: its events folded with `D.evolve`,
    /// from the start or from `start` (a state already folded up to its version, e.g. a snapshot).
    /// - Throws: ``EventStoreError`` (`invalidInput`, `unavailable`), or
    ///   ``Domain/EventCodingError`` when a stored event cannot be decoded.
    public func state<D: Decider>(
        of _: D.Type, tenant: String, stream: String, asOf: AsOf = .latest, from start: FoldedState<D.State>? = nil
    ) async throws -> FoldedState<D.State> where D.Event: RecordableEvent {
        guard Identifiers.isValidTenant(tenant), Identifiers.isValidStream(stream) else {
            throw EventStoreError.invalid("invalid tenant or stream id")
        }
        var state = start?.state ?? D.initialState
        var version: Int64 = start?.version ?? 0
        let lastMicros: Int64? = if case .time(let instant) = asOf {
            Int64((instant.timeIntervalSince1970 * 1_000_000).rounded(.down))
        } else {
            nil
        }
        while true {
            let page = try await revealPersonalData(try await events(foldPage(tenant: tenant, stream: stream, after: version, asOf: asOf)))
            for event in page {
                // The stream's prefix recorded by then: stop at the first later event.
                if let lastMicros, event.recordedAtMicros > lastMicros {
                    return FoldedState(state: state, version: version)
                }
                D.apply(try event.decode(as: D.Event.self), to: &state)
                version = event.streamVersion
            }
            if page.count < Self.foldPageSize { return FoldedState(state: state, version: version) }
        }
    }

    private static let foldPageSize = 1_000

    private func foldPage(tenant: String, stream: String, after version: Int64, asOf: AsOf) -> PostgresQuery {
        let lastVersion: Int64? = if case .version(let last) = asOf { last } else { nil }
        return """
            SELECT \(unescaped: RecordedEvent.columns) FROM events e
             WHERE e.tenant_id = \(tenant) AND e.stream_id = \(stream) AND e.stream_version > \(version)
               AND (\(lastVersion)::int8 IS NULL OR e.stream_version <= \(lastVersion))
             ORDER BY e.stream_version LIMIT \(Self.foldPageSize)
            """
    }
}
