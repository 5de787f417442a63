import API
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Projections
import ProjectionsTesting
import Testing

let adminKey = "test-admin-key-0123456789abcdef0123456789"

/// The API over real HTTP on a fresh database, with the keys and audit projections running.
struct APITest: Sendable {
    let client: any TestClientProtocol
    let store: EventStore
    /// The test database's URL, for connections of a test's own.
    let databaseURL: String

    /// - Parameters:
    ///   - quotas: also run the quotas projection.
    ///   - sessions: also run the sessions projection.
    ///   - locks: also run the locks projection.
    ///   - documents: also run the documents projection.
    ///   - ingestion: also run the ingestion projection.
    static func run(quotas: Bool = false, sessions: Bool = false, locks: Bool = false, documents: Bool = false,
                    ingestion: Bool = false, configure: @escaping @Sendable (inout APIConfiguration) -> Void = { _ in },
                    _ body: @escaping @Sendable (APITest) async throws -> Void) async throws {
        try await TestDatabase.withDatabase { store, url in
            var configuration = APIConfiguration()
            configuration.port = 0
            configuration.adminKey = adminKey
            configuration.maximumBodySize = 64 * 1024
            // A busy suite can keep a read model seconds behind.
            configuration.consistencyTimeout = TestDatabase.horizonTimeout
            configure(&configuration)
            var logger = Logger(label: "test.api")
            logger.logLevel = .error
            let app = buildApplication(store: store, configuration: configuration, logger: logger)
            let test = { @Sendable (count: Int) in
                let catalog = ProjectionCatalog(client: store.client, logger: Logger(label: "test.api"))
                try await waitUntil(timeout: TestDatabase.horizonTimeout, "projections registered") {
                    try await catalog.all().count == count
                }
                try await app.test(.live) { client in try await body(APITest(client: client, store: store, databaseURL: url)) }
            }
            let projections: [any Projection] = [KeysProjection(), AuditProjection()] + (quotas ? [QuotasProjection()] : [])
                + (sessions ? [SessionsProjection()] : []) + (locks ? [LocksProjection()] : [])
                + (documents ? [DocumentsProjection()] : []) + (ingestion ? [IngestionProjection()] : [])
            try await withRunners(projections[...], store, databaseURL: url) { try await test(projections.count) }
        }
    }

    /// Runs `body` with a runner for each of `projections`.
    private static func withRunners(_ projections: ArraySlice<any Projection>, _ store: EventStore, databaseURL: String,
                                    _ body: @escaping @Sendable () async throws -> Void) async throws {
        guard let first = projections.first else { return try await body() }
        let rest = projections.dropFirst()
        try await withRunner(first, store, databaseURL: databaseURL) {
            try await withRunners(rest, store, databaseURL: databaseURL, body)
        }
    }

    func get(_ uri: String, key: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    func post(_ uri: String, key: String?, body: String, contentType: String = "application/json",
              headers extra: HTTPFields = [:]) async throws -> TestResponse
    {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extra)
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// Sends `method` to `uri` as `key`, with a JSON `body` if any.
    func send(_ method: HTTPRequest.Method, _ uri: String, key: String, body: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(key)"]
        if body != nil { headers[.contentType] = "application/json" }
        headers.append(contentsOf: extra)
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// Issues a key of `tenant` with `roles` as the system admin; returns its secret.
    func issueKey(tenant: String, roles: [String] = ["admin", "reader", "auditor", "operator"]) async throws -> String {
        let rolesJSON = roles.map { "\"\($0)\"" }.joined(separator: ",")
        let response = try await post("/v1/keys", key: adminKey,
                                      body: #"{"tenant":"\#(tenant)","name":"test","roles":[\#(rolesJSON)]}"#)
        try #require(response.status == .created, "\(String(buffer: response.body))")
        let secret = try #require(try json(response)["secret"] as? String)
        try await waitUntil(timeout: TestDatabase.horizonTimeout, "key usable") {
            try await get("/v1/projections", key: secret).status == .ok
        }
        return secret
    }

    /// A key of `admin`'s tenant bound to `user` (operator and reader), issued by `admin`.
    func userKey(admin: String, user: String) async throws -> String {
        let issued = try await post("/v1/keys", key: admin, body: #"{"name":"\#(user)","roles":["operator","reader"],"user_id":"\#(user)"}"#)
        try #require(issued.status == .created, "\(String(buffer: issued.body))")
        let secret = try #require(try json(issued)["secret"] as? String)
        try await waitUntil(timeout: TestDatabase.horizonTimeout, "key usable") {
            try await get("/v1/projections", key: secret).status == .ok
        }
        return secret
    }

    /// Appends `count` lock events to `stream` of `tenant`; returns the last cursor.
    @discardableResult
    func append(tenant: String, stream: String, count: Int = 1) async throws -> Cursor {
        let events = (0..<count).map { _ in NewEvent(type: "LockAcquired", data: #"{"holder": "h"}"#,
                                                   metadata: EventMetadata(actor: "tester")) }
        return try await store.append(tenant: tenant, [StreamAppend(stream: stream, expected: .any, events: events)])
            .lastCursor
    }
}

func json(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
}

/// Checks that `response` is an RFC 9457 problem with `status`.
func expectProblem(_ response: TestResponse, _ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation)
    throws
{
    #expect(response.status == status, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
    let body = try json(response)
    #expect(body["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
    #expect((body["type"] as? String)?.hasPrefix(APIError.typeBase) == true, sourceLocation: sourceLocation)
    #expect(body["title"] is String && body["detail"] is String, sourceLocation: sourceLocation)
}

/// Sends a request to one of several serving processes, with `key`.
func send(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, key: String, body: String? = nil)
    async throws -> TestResponse
{
    var headers: HTTPFields = [.authorization: "Bearer \(key)"]
    if body != nil { headers[.contentType] = "application/json" }
    return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
}
