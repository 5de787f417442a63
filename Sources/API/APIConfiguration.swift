import Domain
import Foundation
import EventStore

/// How the HTTP API listens and what it allows.
public struct APIConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The system tenant's bootstrap admin key (`EVENTLOOM_ADMIN_KEY`); nil: none.
    public var adminKey: String?
    /// The largest request body, in bytes (413 beyond).
    public var maximumBodySize = 1 << 20
    /// The largest session import (`POST /v1/sessions/import`), in bytes: one append's limit.
    public var maximumImportSize = 16 << 20
    /// How long `consistent_with` waits for a read model (504 beyond).
    public var consistencyTimeout: Duration = .seconds(5)
    /// A projection whose readable events have waited this long, with no move of its
    /// checkpoint for as long, is reported `stalled` (`GET /v1/projections`, `/metrics`).
    public var projectionStallAfter: Duration = .seconds(30)
    /// The most rows one query page returns.
    public var maximumPageSize = 1_000
    /// Silence on a live stream longer than this gets a `: keep-alive` comment. The
    /// contract is one at least every 15 s; 10 s leaves room for the 1 s timer and a busy host.
    public var heartbeatInterval: Duration = .seconds(10)
    /// How many events a live client may fall behind before it is disconnected.
    public var liveClientCapacity = 10_000
    /// A connection that sends nothing for this long, between requests or in the middle of
    /// one, is closed. A response being written (a live stream) is never cut by it.
    public var idleTimeout: Duration = .seconds(60)
    /// The longest a read-model query may run (PostgreSQL `statement_timeout`; 503 beyond).
    public var queryTimeout: Duration = .seconds(30)
    /// How much memory (roughly, in bytes) the server spends on sessions kept folded
    /// between writes: a write to one of them reads only the events after the state it
    /// holds, not the whole stream. 0: none kept.
    public var sessionStateCacheBytes = 64 << 20

    /// The longest a lock acquire waits in the queue; a longer `wait_ms` is cut to it
    /// (at most 30 s, the domain's limit, well inside ``idleTimeout``).
    public var maximumLockWait: Duration = .seconds(30)

    /// The largest content of one document version, in bytes (413 beyond). A commit's
    /// body may carry it in base64.
    public var maximumDocumentBytes = DocumentLimits.defaultMaximumContentBytes

    /// The most unfinished ingestion tasks (queued or claimed) one tenant may have; queueing
    /// past it is 429 with `Retry-After`, and nothing is queued.
    public var maximumQueuedTasks = 10_000

    /// The largest uploaded part of chunks, in bytes (413 beyond): up to 1,000 chunks with
    /// their vectors as JSON numbers.
    public var maximumPartBytes = 16 << 20

    /// Where the search read model is saved and loaded from (docs/indexes.md, "Search");
    /// nil: memory only, folded from the whole log on every start.
    public var searchDirectory: URL?

    /// The time every decision of the API is made at (expiries, windows, TTLs); tests move it.
    public var clock: WallClock = .system

    public init() {}

    /// The tenant of the bootstrap admin key. No API key of a tenant can name it.
    public static let systemTenant = "system"
}
