import Foundation
import Hummingbird

/// A request's JSON body: the right content type, at most `limit` bytes, decoded.
struct JSONBody {
    let request: Request
    let context: AppRequestContext
    let limit: Int

    /// - Throws: ``APIError`` 415 for another content type, 413 over the limit, 400 when
    ///   the JSON is malformed or does not fit `T`.
    func decode<T: Decodable>(_: T.Type) async throws -> T {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("application/json") else {
            throw APIError(.unsupportedMediaType, "unsupported-media-type", "Unsupported Media Type",
                           detail: "send the body as application/json")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "body-too-large", "Request body too large",
                           detail: "the body is over \(limit) bytes")
        }
        let data = Data(buffer: buffer)
        do {
            return try JSONCoding.decoder.decode(T.self, from: data)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            if let field = JSONNumberLocator.field(T.self, in: data, decoder: JSONCoding.decoder) {
                throw APIError.invalid(field, "is out of range or not a whole number")
            }
            throw DecodingError.dataCorrupted(context)
        }
    }
}
