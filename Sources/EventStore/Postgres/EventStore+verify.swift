import PostgresNIO

extension EventStore {
    /// Recomputes every stream's hash chain (one tenant's, or all) and reports the first
    /// broken link of each stream: a hash that does not match, a gap in versions, or a
    /// stream head that disagrees with the log's last event.
    /// - Parameter progress: called with the number of events checked so far, per page.
    /// - Throws: ``EventStoreError`` `unavailable` or `internalError`.
    public func verify(tenant: String? = nil, progress: (@Sendable (Int) -> Void)? = nil) async throws -> ChainReport {
        var report = ChainReport()
        var walk = ChainWalk()
        var last = (tenant: "", stream: "", version: Int64(0))
        while true {
            let page = try await events("""
                SELECT \(unescaped: RecordedEvent.columns) FROM events
                 WHERE (\(tenant)::text IS NULL OR tenant_id = \(tenant))
                   AND (tenant_id, stream_id, stream_version) > (\(last.tenant), \(last.stream), \(last.version))
                 ORDER BY tenant_id, stream_id, stream_version
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
        report.breaks += try await headMismatches(tenant: tenant, alreadyBroken: Set(report.breaks.map { [$0.tenant, $0.stream] }))
        return report
    }

    /// Streams whose head (version, last hash) is not the log's last event for them.
    private func headMismatches(tenant: String?, alreadyBroken: Set<[String]>) async throws -> [ChainReport.Break] {
        var breaks: [ChainReport.Break] = []
        let rows = try await client.query("""
            SELECT s.tenant_id, s.stream_id, s.version, coalesce(e.stream_version, 0)
              FROM streams s
              LEFT JOIN LATERAL (
                  SELECT stream_version, hash FROM events
                   WHERE tenant_id = s.tenant_id AND stream_id = s.stream_id
                   ORDER BY stream_version DESC LIMIT 1) e ON true
             WHERE (\(tenant)::text IS NULL OR s.tenant_id = \(tenant))
               AND (e.stream_version IS DISTINCT FROM s.version OR e.hash IS DISTINCT FROM s.last_hash)
            """, logger: logger)
        for try await (tenant, stream, head, logVersion) in rows.decode((String, String, Int64, Int64).self)
            where !alreadyBroken.contains([tenant, stream]) {
            breaks.append(.init(tenant: tenant, stream: stream, streamVersion: logVersion, cursor: nil,
                                reason: "the stream head says version \(head) but the log's last event is version \(logVersion) or has another hash"))
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
