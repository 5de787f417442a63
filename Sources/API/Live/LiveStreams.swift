/// The streams a live client follows: those named, and those whose id starts with one of
/// the prefixes (a version's build: every task stream of the version).
struct LiveStreams: Sendable, Hashable {
    var names: Set<String> = []
    var prefixes: [String] = []

    /// Only stream `name`.
    static func named(_ name: String) -> LiveStreams { LiveStreams(names: [name]) }

    func contains(_ stream: String) -> Bool {
        names.contains(stream) || prefixes.contains { stream.hasPrefix($0) }
    }
}
