import API
import ArgumentParser
import Foundation

/// Where the API listens and its bootstrap key.
struct HTTPOptions: ParsableArguments {
    static let defaultAddress = "127.0.0.1:8080"

    @Option(help: "host:port to listen on. Env: EVENTLOOM_HTTP_ADDR (default \(HTTPOptions.defaultAddress)).")
    var httpAddr: String?

    @Option(help: "The system tenant's bootstrap admin key (at least 32 characters). Env: EVENTLOOM_ADMIN_KEY.")
    var adminKey: String?

    @Option(help: "MiB of memory for sessions kept folded between writes, 0-65536; 0: none. Env: EVENTLOOM_SESSION_CACHE_MIB (default 64).")
    var sessionCacheMib: Int?

    @Option(help: "Seconds, 1-86400, after which a projection with readable events waiting and no progress is reported stalled. Env: EVENTLOOM_PROJECTION_STALL_AFTER (default 30).")
    var projectionStallAfter: Int?

    @Option(help: "Milliseconds, 0-30000, that a lock acquire may wait in the queue at most (a longer wait_ms is cut to it). Env: EVENTLOOM_LOCK_MAX_WAIT_MS (default 30000).")
    var lockMaxWaitMs: Int?

    @Option(help: "Bytes, 1-268435456, of one document version's content at most. Env: EVENTLOOM_DOCUMENT_MAX_BYTES (default 33554432, 32 MiB).")
    var documentMaxBytes: Int?
    @Option(help: "Unfinished ingestion tasks, 1-10000000, one tenant may have queued (429 beyond). Env: EVENTLOOM_INGESTION_QUEUE_LIMIT (default 10000).")
    var ingestionQueueLimit: Int?
    @Option(help: "Folder where the search read model is saved and loaded from (the log position it covers with it); absent: memory only, folded from the whole log on every start. Env: EVENTLOOM_SEARCH_DIR.")
    var searchDir: String?

    func apiConfiguration() throws -> APIConfiguration {
        let environment = ProcessInfo.processInfo.environment
        var configuration = APIConfiguration()
        let address = httpAddr ?? environment["EVENTLOOM_HTTP_ADDR"] ?? Self.defaultAddress
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (1...65_535).contains(port), colon > address.startIndex else {
            throw ValidationError("the HTTP address must be host:port, e.g. 127.0.0.1:8080")
        }
        configuration.host = String(address[..<colon])
        configuration.port = port
        configuration.adminKey = adminKey ?? environment["EVENTLOOM_ADMIN_KEY"]
        if let key = configuration.adminKey, key.count < 32 {
            throw ValidationError("the admin key must be at least 32 characters")
        }
        if let text = sessionCacheMib.map(String.init) ?? environment["EVENTLOOM_SESSION_CACHE_MIB"] {
            guard let mebibytes = Int(text), (0...65_536).contains(mebibytes) else {
                throw ValidationError("the session cache must be 0-65536 MiB")
            }
            configuration.sessionStateCacheBytes = mebibytes << 20
        }
        if let text = projectionStallAfter.map(String.init) ?? environment["EVENTLOOM_PROJECTION_STALL_AFTER"] {
            guard let seconds = Int(text), (1...86_400).contains(seconds) else {
                throw ValidationError("the projection stall time must be 1-86400 seconds")
            }
            configuration.projectionStallAfter = .seconds(seconds)
        }
        if let text = lockMaxWaitMs.map(String.init) ?? environment["EVENTLOOM_LOCK_MAX_WAIT_MS"] {
            guard let milliseconds = Int(text), (0...30_000).contains(milliseconds) else {
                throw ValidationError("the lock wait must be 0-30000 milliseconds")
            }
            configuration.maximumLockWait = .milliseconds(milliseconds)
        }
        if let text = documentMaxBytes.map(String.init) ?? environment["EVENTLOOM_DOCUMENT_MAX_BYTES"] {
            guard let bytes = Int(text), (1...(256 << 20)).contains(bytes) else {
                throw ValidationError("the document content limit must be 1-268435456 bytes")
            }
            configuration.maximumDocumentBytes = bytes
        }
        if let text = ingestionQueueLimit.map(String.init) ?? environment["EVENTLOOM_INGESTION_QUEUE_LIMIT"] {
            guard let limit = Int(text), (1...10_000_000).contains(limit) else {
                throw ValidationError("the ingestion queue limit must be 1-10000000 tasks")
            }
            configuration.maximumQueuedTasks = limit
        }
        if let path = searchDir ?? environment["EVENTLOOM_SEARCH_DIR"], !path.isEmpty {
            configuration.searchDirectory = URL(fileURLWithPath: path)
        }
        return configuration
    }
}
