import Synchronization

/// What keeps anonymous readers of shared links from costing without bound: per link, at
/// most `viewsPerMinute` reads (each one appends a `ShareViewed` event) and
/// `passwordChecksPerMinute` password checks (each one 210,000 PBKDF2 rounds); at most
/// `concurrentChecks` password checks at once in the process. Beyond: 429 with Retry-After.
final class ShareGuard: Sendable {
    let viewsPerMinute: Int
    let passwordChecksPerMinute: Int
    let concurrentChecks: Int

    private struct Window {
        var start: ContinuousClock.Instant
        var views = 0
        var checks = 0
    }

    private let windows = Mutex<[String: Window]>([:])
    private let checking = Atomic<Int>(0)

    init(viewsPerMinute: Int = 120, passwordChecksPerMinute: Int = 10, concurrentChecks: Int = 2) {
        self.viewsPerMinute = viewsPerMinute
        self.passwordChecksPerMinute = passwordChecksPerMinute
        self.concurrentChecks = concurrentChecks
    }

    /// - Throws: 429 when link `shareID` has been read `viewsPerMinute` times this minute.
    func admitView(_ shareID: String) throws {
        try count(shareID, limit: viewsPerMinute, what: "reads") { $0.views += 1; return $0.views }
    }

    /// Runs `check` (a password check) unless the link or the process is over its limit.
    func checkPassword(_ shareID: String, _ check: () async -> Bool) async throws -> Bool {
        try count(shareID, limit: passwordChecksPerMinute, what: "password attempts") { $0.checks += 1; return $0.checks }
        guard checking.add(1, ordering: .relaxed).newValue <= concurrentChecks else {
            checking.subtract(1, ordering: .relaxed)
            throw Self.tooMany("too many password checks at once; retry in a second", retryAfter: 1)
        }
        defer { checking.subtract(1, ordering: .relaxed) }
        return await check()
    }

    private func count(_ shareID: String, limit: Int, what: String, _ add: (inout Window) -> Int) throws {
        let now = ContinuousClock.now
        let seen = windows.withLock { windows -> Int in
            if windows.count > 10_000 { windows = windows.filter { now - $0.value.start < .seconds(60) } }
            var window = windows[shareID].flatMap { now - $0.start < .seconds(60) ? $0 : nil } ?? Window(start: now)
            let seen = add(&window)
            windows[shareID] = window
            return seen
        }
        guard seen <= limit else {
            throw Self.tooMany("this link has had \(limit) \(what) this minute; retry later", retryAfter: 60)
        }
    }

    private static func tooMany(_ detail: String, retryAfter: Int) -> APIError {
        var problem = APIError(.tooManyRequests, "too-many-requests", "Too Many Requests", detail: detail)
        problem.headers[.retryAfter] = "\(retryAfter)"
        return problem
    }
}
