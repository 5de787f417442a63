import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// `POST /v1/indexes/{name}/feedback` (docs/indexes.md, "Analysis"): the platform reports
/// whether a search's results helped (a click, a thumbs up or down), by the search id the
/// search answered (signed by the server: an id it did not give out for this tenant and index
/// is 400). Counted once per search id, for the version that answered; the rollout
/// analysis weighs the canary's positive rate against the stable version's.
struct FeedbackController {
    let search: SearchReadModel
    let figures: SearchFigures
    let secrets: ServerSecrets
    let maximumBodySize: Int
    let clock: WallClock

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/indexes/:name/feedback") { request, context in try await feedback(request, context) }
    }

    private func feedback(_ request: Request, _ context: AppRequestContext) async throws -> FeedbackView {
        let caller = try context.requireCaller()
        try caller.require(.reader, .operator, .admin)
        let name = try IndexInput.name(context)
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(FeedbackInput.self)
        guard body.searchId.utf8.count <= 100,
              let id = SearchID.verified(body.searchId, tenant: caller.tenant, index: name, key: try await secrets.searchIDSigning())
        else {
            throw APIError.invalid("search_id", "must be the search_id a search of this index answered")
        }
        guard let state = search.index(tenant: caller.tenant, name: name), state.isKnown else { throw SearchIndexError.unknownIndex }
        guard state.versions[id.version] != nil else { throw SearchIndexError.unknownVersion(id.version) }
        let recorded = try await figures.addFeedback(tenant: caller.tenant, index: name, searchID: id.text, version: id.version,
                                                     positive: body.positive, at: clock.now())
        return FeedbackView(searchId: id.text, version: id.version, positive: body.positive, recorded: recorded)
    }
}

/// The body of `POST /v1/indexes/{name}/feedback`.
struct FeedbackInput: Decodable {
    let searchId: String
    /// Whether the results helped.
    let positive: Bool
}

/// A feedback report as recorded.
struct FeedbackView: ResponseEncodable {
    let searchId: String
    let version: Int
    let positive: Bool
    /// False when feedback on this search was recorded before (this report changed nothing).
    let recorded: Bool
}
