import EventStore
import Hummingbird
import Logging

/// Turns every failure of the routes below it, unknown routes included, into an RFC 9457
/// problem (``APIError``).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let clock: WallClock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            throw APIError(mapping: error, logger: context.logger, now: clock.now())
        }
    }
}
