import Hummingbird

/// The methods each route path takes, so that a known path asked with another method is
/// 405 with `Allow` (RFC 9110 §15.5.6) rather than 404.
struct AllowedMethods: Sendable {
    private let routes: [(path: RouterPath, method: HTTPRequest.Method)]

    init(_ router: Router<AppRequestContext>) {
        routes = router.routes.map { ($0.path, $0.method) }
    }

    /// The methods of the route path the router picks for `path` (as the router does, a
    /// literal segment wins over a capture), in a stable order; empty when none matches.
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let matching = routes.filter { Self.matches($0.path, segments) }
        guard let best = matching.map({ Self.literals($0.path) }).max(by: { $0.lexicographicallyPrecedes($1) }) else {
            return []
        }
        let methods = matching.filter { Self.literals($0.path) == best }.map(\.method)
        return Array(Set(methods)).sorted { $0.rawValue < $1.rawValue }
    }

    /// 1 for each literal segment, 0 for each capture.
    private static func literals(_ path: RouterPath) -> [Int] {
        path.components.map { $0 == $0.description ? 1 : 0 }
    }

    private static func matches(_ path: RouterPath, _ segments: [Substring]) -> Bool {
        path.components.count == segments.count && zip(path.components, segments).allSatisfy { $0 ~= $1 }
    }
}

/// Wraps the router: a 404 for a path that exists under other methods becomes 405. Only
/// 404s pay for the check.
struct MethodCheckingResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == AppRequestContext {
    let inner: Inner
    let allowed: AllowedMethods

    func respond(to request: Request, context: AppRequestContext) async throws -> Response {
        let response = try await inner.respond(to: request, context: context)
        guard response.status == .notFound else { return response }
        let methods = allowed.methods(for: request.uri.path)
        guard !methods.isEmpty, !methods.contains(request.method) else { return response }
        let names = methods.map(\.rawValue).joined(separator: ", ")
        var problem = APIError(.methodNotAllowed, "method-not-allowed", "Method Not Allowed",
                               detail: "\(request.uri.path) takes \(names), not \(request.method.rawValue)")
        problem.headers[.allow] = names
        return try problem.response(from: request, context: context)
    }
}
