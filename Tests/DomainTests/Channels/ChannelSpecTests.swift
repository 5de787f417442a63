import Domain
import Foundation
import Testing

private let good = ChannelSpec(
    provider: "openai", baseURL: "https://api.openai.com/v1",
    models: [ChannelModel(name: "gpt-4o"), ChannelModel(name: "gpt-4o-mini", upstreamName: "gpt-4o-mini-2024-07-18")],
    groups: ["default", "vip"], priority: 10, weight: 3,
    costs: ["gpt-4o": ModelPrice(inputPer1K: 2_500, outputPer1K: 10_000, cachedPer1K: 1_250)],
    limits: RateLimit(rpm: 500, tpm: 2_000_000, concurrent: 40))

private func field(of spec: ChannelSpec) -> String? {
    do {
        try spec.validate()
        return nil
    } catch ChannelError.invalid(let field, _) {
        return field
    } catch {
        return "unexpected \(error)"
    }
}

@Suite struct ChannelSpecTests {
    @Test func aWellFormedSpec_isValid() throws {
        try good.validate()
        var azure = good
        azure.baseURL = "https://example.openai.azure.com/openai/deployments/gpt4o?api-version=2024-06-01"
        try azure.validate()
    }

    @Test(arguments: [
        "", "ftp://example.com", "https://", "https://user:secret@example.com", "https://example.com/#frag", "example.com",
        "https://exa mple.com", "https://example.com/" + String(repeating: "a", count: 2_048), "javascript:alert(1)",
    ])
    func aBaseURLThatIsNotPlainHTTP_isRefused(url: String) {
        var spec = good
        spec.baseURL = url
        #expect(field(of: spec) == "base_url")
    }

    @Test func eachFieldOutsideItsRange_isRefused_namingIt() {
        var cases: [(ChannelSpec, String)] = []
        var spec = good; spec.provider = "Open AI"; cases.append((spec, "provider"))
        spec = good; spec.provider = ""; cases.append((spec, "provider"))
        spec = good; spec.models = []; cases.append((spec, "models"))
        spec = good; spec.models = good.models + [ChannelModel(name: "gpt-4o")]; cases.append((spec, "models"))
        spec = good; spec.models = [ChannelModel(name: " ")]; cases.append((spec, "models.name"))
        spec = good; spec.models = [ChannelModel(name: "m", upstreamName: "bad\u{0}name")]; cases.append((spec, "models.upstream_name"))
        spec = good; spec.groups = ["a", "a"]; cases.append((spec, "groups"))
        spec = good; spec.groups = ["no spaces"]; cases.append((spec, "groups"))
        spec = good; spec.priority = -1; cases.append((spec, "priority"))
        spec = good; spec.priority = 1_001; cases.append((spec, "priority"))
        spec = good; spec.weight = 0; cases.append((spec, "weight"))
        spec = good; spec.weight = 10_001; cases.append((spec, "weight"))
        spec = good; spec.costs = ["claude-3": ModelPrice(inputPer1K: 1, outputPer1K: 1, cachedPer1K: 1)]; cases.append((spec, "costs"))
        spec = good; spec.costs = ["gpt-4o": ModelPrice(inputPer1K: -1, outputPer1K: 1, cachedPer1K: 1)]; cases.append((spec, "costs"))
        spec = good; spec.limits.rpm = 0; cases.append((spec, "limits.rpm"))
        spec = good; spec.limits.tpm = 2_000_000_000; cases.append((spec, "limits.tpm"))
        for (spec, expected) in cases { #expect(field(of: spec) == expected, "\(spec)") }
    }

    @Test func breakerSettingsOutsideTheirRanges_areRefused_namingThem() {
        let bad: [(WritableKeyPath<BreakerPolicy, Double>, Double, String)] = [
            (\.window, 0, "breaker.window"), (\.window, .infinity, "breaker.window"), (\.window, 3_601, "breaker.window"),
            (\.failureRate, 0, "breaker.failure_rate"), (\.failureRate, 1.01, "breaker.failure_rate"),
            (\.failureRate, .nan, "breaker.failure_rate"), (\.cooldown, 0.5, "breaker.cooldown"),
            (\.maximumCooldown, 10, "breaker.maximum_cooldown"), (\.maximumCooldown, 86_401, "breaker.maximum_cooldown"),
            (\.probeTimeout, 0, "breaker.probe_timeout"), (\.probeTimeout, 601, "breaker.probe_timeout"),
        ]
        for (path, value, expected) in bad {
            var spec = good
            spec.breaker[keyPath: path] = value
            #expect(field(of: spec) == expected, "\(path) = \(value)")
        }
        var spec = good; spec.breaker.minimumCalls = 0
        #expect(field(of: spec) == "breaker.minimum_calls")
        spec = good; spec.breaker.probes = 101
        #expect(field(of: spec) == "breaker.probes")
        spec = good; spec.breaker.fatalKeywords = Array(repeating: "quota", count: 33)
        #expect(field(of: spec) == "breaker.fatal_keywords")
        spec = good; spec.breaker.fatalKeywords = [""]
        #expect(field(of: spec) == "breaker.fatal_keywords")
        for trips in [0, 1_001] {
            spec = good; spec.breaker.disableAfterTrips = trips
            #expect(field(of: spec) == "breaker.disable_after_trips")
        }
        spec = good; spec.breaker.disableAfterTrips = 1_000
        #expect(field(of: spec) == nil)
    }
}
