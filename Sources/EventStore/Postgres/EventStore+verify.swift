import PostgresNIO

extension EventStore {
    /// Recomputes every stream's hash chain (one stream's, one tenant's, or all) and reports the first
    /// broken link of each stream: a hash that does not match or a gap in versions; and
    /// streams whose registration in `streams` does not match their events.
    /// - Parameter progress: called with the number of events checked so far, per page.
    /// - Throws: ``EventStoreError`` `unavailable` or `internalError`.
    public func verify(tenant: String? = nil, stream: String? = nil, progress: (@Sendable (Int) -> Void)? = nil)
        async throws -> ChainReport
    {
        var report = ChainReport()
        var walk = ChainWalk()
        var last = (tenant: "", stream: "", version: Int64(0))
        while true {
            let page = try await events("""
                SELECT \(unescaped: RecordedEvent.columns) FROM events e
                 WHERE (\(tenant)::text IS NULL OR e.tenant_id = \(tenant))
                   AND (\(stream)::text IS NULL OR e.stream_id = \(stream))
                   AND (e.tenant_id, e.stream_id, e.stream_version) > (\(last.tenant), \(last.stream), \(last.version))
                 ORDER BY e.tenant_id, e.stream_id, e.stream_version
                 LIMIT 5000
                """)
            for event in page {
                if let broken = walk.check(event) { report.breaks.append(broken) }
            }
            report.events += page.count
            progress?(report.events)
            guard let tail = page.last else { break }
            last = (tail.tenant, tail.stream, tail.streamVersion)
        }
        report.streams = walk.streams
        report.breaks += try await registryMismatches(tenant: tenant, stream: stream)
        return report
    }

    /// Streams registered without events, and streams with events but no registration.
    private func registryMismatches(tenant: String?, stream: String?) async throws -> [ChainReport.Break] {
        var breaks: [ChainReport.Break] = []
        let rows = try await client.queryUnlessClosed("""
            SELECT s.tenant_id, s.stream_id, 'the stream is registered but has no events'
              FROM streams s
             WHERE (\(tenant)::text IS NULL OR s.tenant_id = \(tenant))
               AND (\(stream)::text IS NULL OR s.stream_id = \(stream))
               AND NOT EXISTS (SELECT 1 FROM events e WHERE e.tenant_id = s.tenant_id AND e.stream_id = s.stream_id)
            UNION ALL
            SELECT e.tenant_id, e.stream_id, 'the stream has events but no row in streams'
              FROM events e
             WHERE (\(tenant)::text IS NULL OR e.tenant_id = \(tenant)) AND e.stream_version = 1
               AND (\(stream)::text IS NULL OR e.stream_id = \(stream))
               AND NOT EXISTS (SELECT 1 FROM streams s WHERE s.tenant_id = e.tenant_id AND s.stream_id = e.stream_id)
            """, logger: logger)
        for row in rows {
            let (tenant, stream, reason) = try row.decode((String, String, String).self)
            breaks.append(.init(tenant: tenant, stream: stream, streamVersion: 0, cursor: nil, reason: reason))
        }
        return breaks
    }
}

/// Walks events in (tenant, stream, version) order, recomputing each stream's chain.
struct ChainWalk {
    private(set) var streams = 0
    private var current: (tenant: String, stream: String)?
    private var previousHash = HashChain.genesis
    private var expectedVersion: Int64 = 1
    private var broken = false

    /// The break `event` reveals, if it is the first one of its stream.
    mutating func check(_ event: RecordedEvent) -> ChainReport.Break? {
        if current?.tenant != event.tenant || current?.stream != event.stream {
            current = (event.tenant, event.stream)
            streams += 1
            previousHash = HashChain.genesis
            expectedVersion = 1
            broken = false
        }
        guard !broken else { return nil }
        let reason: String? = if event.streamVersion != expectedVersion {
            "expected version \(expectedVersion): events are missing"
        } else if HashChain.link(previous: previousHash, event) != event.hash {
            "the stored hash does not match the event's content and the previous hash"
        } else {
            nil
        }
        previousHash = event.hash
        expectedVersion = event.streamVersion + 1
        guard let reason else { return nil }
        broken = true
        return .init(tenant: event.tenant, stream: event.stream, streamVersion: event.streamVersion,
                     cursor: event.cursor, reason: reason)
    }
}
