import Hummingbird

/// Refuses a malformed `Idempotency-Key` (see ``IdempotencyKey``) before any route runs, so
/// that no route answers it (a replay included) without the check.
struct IdempotencyKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        _ = try IdempotencyKey(request)
        return try await next(request, context)
    }
}
