@testable import API
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OpenAPIKit
import Projections
import Testing
import Yams

@Suite("OpenAPI description") struct OpenAPITests {
    static func document() throws -> OpenAPI.Document {
        try YAMLDecoder().decode(OpenAPI.Document.self, from: OpenAPIController.document)
    }

    @Test func openAPIFile_decodesAndValidates() throws {
        let document = try Self.document()
        try document.validate()
        #expect(document.openAPIVersion == .v3_1_0)
    }

    @Test func everyRegisteredRoute_isDescribed_andEveryDescribedRouteExists() async throws {
        let document = try Self.document()
        var described: Set<String> = []
        for (path, item) in document.paths {
            guard let item = item.pathItemValue else { continue }
            for endpoint in item.endpoints { described.insert("\(endpoint.method.rawValue) \(path.rawValue)") }
        }
        let spec = described
        try await TestDatabase.withStore { store in
            let logger = Logger(label: "test")
            let versions = ReadModelVersions(catalog: ProjectionCatalog(client: store.client, logger: logger), logger: logger)
            let router = buildRouter(store: store, live: LiveLog(store: store, logger: logger), versions: versions,
                                     configuration: APIConfiguration(), logger: logger)
            let registered = Set(router.routes.map { route in
                let path = route.path.components.map { component in
                    let text = "\(component)"
                    return text.hasPrefix(":") ? "{\(text.dropFirst())}" : text
                }.joined(separator: "/")
                return "\(route.method.rawValue) /\(path)"
            })
            #expect(registered.subtracting(spec).isEmpty, "not in openapi.yaml: \(registered.subtracting(spec).sorted())")
            #expect(spec.subtracting(registered).isEmpty, "not served: \(spec.subtracting(registered).sorted())")
        }
    }

    @Test func servedDescription_isTheFile() async throws {
        try await APITest.run { api in
            let response = try await api.get("/openapi.yaml")
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == OpenAPIController.document)
            #expect(String(buffer: response.body).hasPrefix("openapi: 3.1.0"))
        }
    }
}
