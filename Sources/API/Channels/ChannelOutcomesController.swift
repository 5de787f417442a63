import Domain
import EventStore
import Foundation
import Hummingbird
import Projections

/// `POST /v1/channels/outcomes`: a gateway reports what its upstream calls did, up to
/// ``Channel/maximumOutcomesPerReport`` outcomes of any channels at once, recorded by
/// ``ChannelOutcomeRecorder`` (a report sent again is recorded once).
struct ChannelOutcomesController {
    let recorder: ChannelOutcomeRecorder
    let maximumBodySize: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/v1/channels/outcomes") { request, context in try await report(request, context) }
    }

    private func report(_ request: Request, _ context: AppRequestContext) async throws -> OutcomeReportView {
        let caller = try context.requireCaller()
        try caller.require(.operator, .admin)
        try caller.requireTenantWide()
        let body = try await JSONBody(request: request, context: context, limit: maximumBodySize).decode(OutcomeReportInput.self)
        guard (1...Channel.maximumOutcomesPerReport).contains(body.outcomes.count) else {
            throw APIError.invalid("outcomes", "must hold 1-\(Channel.maximumOutcomesPerReport) outcomes")
        }
        return try await recorder.record(body.outcomes, tenant: caller.tenant, now: recorder.writes.clock.now(),
                                         metadata: RequestMetadata(request, context).metadata)
    }
}
