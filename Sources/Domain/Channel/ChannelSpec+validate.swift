import Foundation

extension ChannelSpec {
    /// The most models one channel serves, groups it names, and fatal keywords its breaker has.
    public static let maximumModels = 1_000
    public static let maximumGroups = 100
    public static let maximumKeywords = 32
    /// The longest base URL, in bytes.
    public static let maximumURLLength = 2_048

    /// - Throws: ``ChannelError/invalid(field:reason:)`` naming the first field that breaks its rule.
    public func validate() throws {
        try Self.validateProvider(provider)
        try Self.validateBaseURL(baseURL)
        try validateModels()
        guard groups.count <= Self.maximumGroups else { throw invalid("groups", "must name at most \(Self.maximumGroups)") }
        guard Set(groups).count == groups.count else { throw invalid("groups", "must not name one group twice") }
        for group in groups {
            // The identifier rule documents and index sources keep.
            do {
                try Document.validateIdentifier(group, field: "groups")
            } catch DocumentError.invalid(let field, let reason) {
                throw invalid(field, reason)
            }
        }
        guard (0...1_000).contains(priority) else { throw invalid("priority", "must be in 0...1000") }
        guard (1...10_000).contains(weight) else { throw invalid("weight", "must be in 1...10000") }
        for (model, price) in costs {
            guard models.contains(where: { $0.name == model }) else { throw invalid("costs", "names \(model), which the channel does not serve") }
            guard price.isValid else { throw invalid("costs", "prices must be 0-\(ModelPrice.maximumPer1K) millionths of a dollar per 1,000 tokens") }
        }
        if let (field, reason) = limits.problem { throw invalid("limits.\(field)", reason) }
        try Self.validate(breaker)
    }

    private func validateModels() throws {
        guard (1...Self.maximumModels).contains(models.count) else { throw invalid("models", "must name 1-\(Self.maximumModels) models") }
        guard Set(models.map(\.name)).count == models.count else { throw invalid("models", "must not name one model twice") }
        for model in models {
            if let reason = TextRule.problem(with: model.name, maximum: 200) { throw invalid("models.name", reason) }
            if let upstream = model.upstreamName, let reason = TextRule.problem(with: upstream, maximum: 200) {
                throw invalid("models.upstream_name", reason)
            }
        }
    }

    static func validateProvider(_ provider: String) throws {
        guard (1...40).contains(provider.utf8.count),
              provider.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == 0x2D || $0 == 0x5F })
        else { throw ChannelError.invalid(field: "provider", reason: "must be 1-40 of a-z 0-9 - _") }
    }

    /// An `http(s)` URL with a host, without credentials (they belong in the channel's keys)
    /// or a fragment (a query, such as Azure's `api-version`, may stay).
    static func validateBaseURL(_ text: String) throws {
        let reason = "must be an http or https URL with a host, without credentials or a fragment, of at most \(maximumURLLength) bytes"
        guard text.utf8.count <= maximumURLLength, !text.contains(where: \.isWhitespace),
              let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.user == nil, url.password == nil, url.fragment == nil
        else { throw ChannelError.invalid(field: "base_url", reason: reason) }
    }

    static func validate(_ policy: BreakerPolicy) throws {
        func check(_ ok: Bool, _ field: String, _ reason: String) throws {
            guard ok else { throw ChannelError.invalid(field: "breaker.\(field)", reason: reason) }
        }
        try check(policy.window.isFinite && (1...3_600).contains(policy.window), "window", "must be 1-3600 seconds")
        try check((1...100_000).contains(policy.minimumCalls), "minimum_calls", "must be in 1...100000")
        try check(policy.failureRate.isFinite && policy.failureRate > 0 && policy.failureRate <= 1, "failure_rate",
                  "must be more than 0 and at most 1")
        try check(policy.cooldown.isFinite && (1...3_600).contains(policy.cooldown), "cooldown", "must be 1-3600 seconds")
        try check(policy.maximumCooldown.isFinite && (policy.cooldown...86_400).contains(policy.maximumCooldown), "maximum_cooldown",
                  "must be from the cooldown to 86400 seconds")
        try check((1...100).contains(policy.probes), "probes", "must be in 1...100")
        try check(policy.probeTimeout.isFinite && (1...600).contains(policy.probeTimeout), "probe_timeout", "must be 1-600 seconds")
        if let trips = policy.disableAfterTrips {
            try check((1...1_000).contains(trips), "disable_after_trips", "must be in 1...1000")
        }
        try check(policy.fatalKeywords.count <= maximumKeywords, "fatal_keywords", "must hold at most \(maximumKeywords)")
        for keyword in policy.fatalKeywords {
            if let reason = TextRule.problem(with: keyword, maximum: 100) { throw ChannelError.invalid(field: "breaker.fatal_keywords", reason: reason) }
        }
    }

    private func invalid(_ field: String, _ reason: String) -> ChannelError { .invalid(field: field, reason: reason) }
}
