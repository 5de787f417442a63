@testable import API
import Foundation
import Testing

/// The hand-written JSON of a route's answer says what its `Encodable` form says.
@Suite struct RouteViewJSONTests {
    static func target(_ id: String, secret: String?, reference: String?) -> RouteView.Target {
        RouteView.Target(channelId: id, provider: "openai", baseUrl: "https://api.example.com/v1?api-version=2024-06-01",
                         upstreamModel: "gpt-4o \"mini\" \\ 故宫", key: RouteView.KeyTarget(id: "k1", secret: secret, secretRef: reference))
    }

    @Test func routeViewMatchesItsEncodableForm() throws {
        let views = [
            RouteView(requestId: "r\n1", strategy: "cost", channel: Self.target("a", secret: "sk-\u{7}x", reference: nil), probe: true,
                      fallbacks: [Self.target("b", secret: nil, reference: "env:KEY"), Self.target("c", secret: nil, reference: nil)]),
            RouteView(requestId: "r2", strategy: "priority", channel: Self.target("a", secret: nil, reference: "vault:x"), probe: false,
                      fallbacks: []),
        ]
        for view in views {
            let mine = try JSONSerialization.jsonObject(with: Data(view.json.utf8)) as? NSDictionary
            let theirs = try JSONSerialization.jsonObject(with: JSONCoding.encoder.encode(view)) as? NSDictionary
            #expect(mine != nil, "not a JSON object: \(view.json)")
            #expect(mine == theirs, "\(view.json)")
        }
    }
}
