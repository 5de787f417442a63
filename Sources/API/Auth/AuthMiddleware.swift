import Hummingbird

/// Reads the API key of a request (`Authorization: Bearer`, `x-api-key`, `x-goog-api-key`,
/// or `?token=` on SSE routes) and sets ``AppRequestContext/caller``. A request without a
/// key goes on without a caller (public routes); one with an unknown key is refused.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let keys: KeyDirectory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard let secret = Self.presentedKey(request) else { return try await next(request, context) }
        guard secret.utf8.count <= 256, let caller = try await keys.caller(for: secret) else {
            var problem = APIError.unauthorized
            problem.detail = "the API key is unknown or revoked"
            throw problem
        }
        var context = context
        context.caller = caller
        context.logger[metadataKey: "tenant"] = "\(caller.tenant)"
        return try await next(request, context)
    }

    static func presentedKey(_ request: Request) -> String? {
        if let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") {
            return String(authorization.dropFirst("Bearer ".count))
        }
        if let key = request.headers[.apiKey] { return key }
        if let key = request.headers[.googAPIKey] { return key }
        if request.uri.path.hasSuffix("/stream"), let token = request.uri.queryParameters["token"] {
            return String(token)
        }
        return nil
    }
}
