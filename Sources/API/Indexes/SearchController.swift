import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// `POST /v1/indexes/{name}/search` (docs/indexes.md, "Search"): the nearest chunks to a
/// vector, from the version the routing key is routed to (or the one named), answered by
/// this process's search read model (which also holds the index's weights it routes by).
struct SearchController {
    let search: SearchReadModel
    let maximumBodySize: Int
    let consistencyTimeout: Duration
    let clock: WallClock
    let secrets: ServerSecrets

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/indexes/:name/search") { request, context in try await self.search(request, context) }
    }

    private func search(_ request: Request, _ context: AppRequestContext) async throws -> SearchView {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin)
        let name = try IndexInput.name(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(SearchInput.self)
        try body.validate()
        // The wait comes first: the routing must see what the cursor's write changed.
        if let cursor = try body.consistentCursor(), !(await search.wait(for: cursor, timeout: consistencyTimeout)) {
            throw APIError.consistencyTimeout("search", cursor: cursor, timeout: consistencyTimeout)
        }
        // Routed by the index as the read model folded it: no read of the log per search.
        guard let state = search.index(tenant: caller.tenant, name: name), state.isKnown else {
            throw SearchIndexError.unknownIndex
        }
        let version = try route(body, state: state)
        let key = VersionKey(tenant: caller.tenant, index: name, version: version)
        do {
            let hits = try search.search(key, vector: body.vector.components, k: body.k, documents: body.filter?.documentIds.map(Set.init),
                                         now: clock.now())
            let metric = state.versions[version]?.spec.metric.rawValue ?? ""
            let id = SearchID.make(version: version, tenant: caller.tenant, index: name, key: try await secrets.searchIDSigning())
            return SearchView(searchId: id.text, index: name, version: version, metric: metric, hits: hits.map(SearchView.Hit.init))
        } catch SearchReadModelError.versionNotLoaded {
            var problem = APIError(.serviceUnavailable, "index-version-not-loaded", "Version not loaded",
                                   detail: "this process has not loaded version \(version) yet; retry shortly")
            problem.headers[.retryAfter] = "1"
            throw problem
        } catch SearchReadModelError.dimensionMismatch(let expected, let got) {
            throw APIError.invalid("vector", "has \(got) components; version \(version) holds vectors of \(expected)")
        }
    }

    /// The version named, else the one the routing key (or, without one, a random key) is routed to.
    private func route(_ body: SearchInput, state: SearchIndexState) throws -> Int {
        if let version = body.version {
            guard let known = state.versions[version] else { throw SearchIndexError.unknownVersion(version) }
            guard known.status != .retired else { throw SearchIndexError.wrongStatus(version: version, status: .retired) }
            return version
        }
        guard let routing = state.routing else {
            throw APIError(.conflict, "index-not-serving", "Index not serving",
                           detail: "no version of the index serves yet; activate one, or name a version")
        }
        return routing.version(for: body.routingKey ?? UUID().uuidString)
    }
}

/// The body of `POST /v1/indexes/{name}/search`.
struct SearchInput: Decodable {
    /// Numbers, or the base64 of little-endian float32 components.
    let vector: VectorInput
    let k: Int
    let filter: Filter?
    /// A user or session id: it keeps its version while the weights stay.
    let routingKey: String?
    /// Search this version, whatever the routing (evaluations).
    let version: Int?
    /// Wait until the read model has applied the log up to this cursor.
    let consistentWith: String?

    struct Filter: Decodable {
        let documentIds: [String]?
    }

    func validate() throws {
        guard (1...1_000).contains(k) else { throw APIError.invalid("k", "must be in 1...1000") }
        let vector = self.vector.components
        guard !vector.isEmpty, vector.count <= SearchIndex.maximumDimension else {
            throw APIError.invalid("vector", "must have 1-\(SearchIndex.maximumDimension) components")
        }
        guard vector.allSatisfy(\.isFinite) else { throw APIError.invalid("vector", "must not hold NaN or infinite components") }
        if let key = routingKey, let reason = TextRule.problem(with: key, maximum: 200) { throw APIError.invalid("routing_key", reason) }
        if let ids = filter?.documentIds, ids.count > 1_000 { throw APIError.invalid("filter.document_ids", "must name at most 1000") }
    }

    func consistentCursor() throws -> Cursor? {
        guard let text = consistentWith else { return nil }
        guard let cursor = Cursor(text) else { throw APIError.invalid("consistent_with", "must be a cursor as a write returned it") }
        return cursor
    }
}

/// The chunks a search found and the version that answered.
struct SearchView: Encodable {
    /// What the client names when it reports feedback on this search.
    let searchId: String
    let index: String
    let version: Int
    /// How `distance` is measured: `l2` (squared), `inner_product` or `cosine` (1 − similarity).
    let metric: String
    let hits: [Hit]

    struct Hit: Encodable {
        let taskId: String
        let ordinal: Int
        let documentId: String
        let commitId: String
        let start: Int
        let end: Int
        let distance: Float

        init(_ hit: ChunkHit) {
            self.taskId = hit.taskID
            self.ordinal = hit.ordinal
            self.documentId = hit.documentID
            self.commitId = hit.commitID
            self.start = hit.start
            self.end = hit.end
            self.distance = hit.distance
        }
    }
}
