import Foundation
import Hummingbird

/// `GET /openapi.yaml`: the API's description, as shipped with this build.
struct OpenAPIController {
    func addRoutes(to router: Router<AppRequestContext>) {
        let document = Self.document
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"],
                     body: .init(byteBuffer: ByteBuffer(string: document)))
        }
    }

    /// schemas/openapi.yaml, bundled with the API module.
    static let document: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            return "# this build carries no openapi.yaml\n"
        }
        return text
    }()
}
