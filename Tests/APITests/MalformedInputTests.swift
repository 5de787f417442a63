import API
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Malformed input") struct MalformedInputTests {
    static let bodies: [(String, String, HTTPResponse.Status)] = [
        ("not JSON", "{not json", .badRequest),
        ("empty body", "", .badRequest),
        ("name of the wrong type", #"{"name": 7, "roles": ["reader"]}"#, .badRequest),
        ("roles missing", #"{"name": "x"}"#, .badRequest),
        ("unknown role", #"{"name": "x", "roles": ["root"]}"#, .badRequest),
        ("no roles", #"{"name": "x", "roles": []}"#, .badRequest),
        ("name too long", #"{"name": "\#(String(repeating: "n", count: 101))", "roles": ["reader"]}"#, .badRequest),
        ("bad tenant", #"{"tenant": "a.b", "name": "x", "roles": ["reader"]}"#, .badRequest),
        ("huge body", #"{"name": "\#(String(repeating: "n", count: 70_000))", "roles": ["reader"]}"#, .contentTooLarge),
    ]

    @Test func badBodies_getTheDocumented4xx_andNothingIsAppended() async throws {
        try await APITest.run { api in
            let before = try await wholeLog(api.store).count
            for (name, body, status) in Self.bodies {
                let response = try await api.post("/v1/keys", key: adminKey, body: body)
                #expect(response.status == status, "\(name): \(String(buffer: response.body))")
                try expectProblem(response, status)
            }
            try expectProblem(try await api.post("/v1/keys", key: adminKey, body: "name=x", contentType: "text/plain"),
                              .unsupportedMediaType)
            #expect(try await wholeLog(api.store).count == before)
        }
    }

    @Test(arguments: ["/v1/events?after=nope", "/v1/events?after=1-", "/v1/events?limit=0", "/v1/events?limit=100000",
                      "/v1/events?limit=abc", "/v1/events?type=a.b", "/v1/audit?after=x", "/v1/audit?from=yesterday",
                      "/v1/audit?limit=-1", "/v1/streams/lock-1/events?direction=up", "/v1/events?consistent_with=zz"])
    func badQueryParameters_are400(uri: String) async throws {
        try await APITest.run { api in
            try expectProblem(try await api.get(uri, key: adminKey), .badRequest)
        }
    }
}
