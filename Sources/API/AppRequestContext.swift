import Foundation
import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage, and who is calling.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``AuthMiddleware`` once the key is known.
    public var caller: Caller?
    public let remoteAddress: SocketAddress?
    /// The connection, for closing it on a live client that stopped reading.
    let channel: (any Channel)?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.channel = source.channel
    }

    public var requestDecoder: JSONDecoder { JSONCoding.decoder }
    public var responseEncoder: JSONEncoder { JSONCoding.encoder }

    /// The authenticated caller.
    /// - Throws: ``APIError`` 401 when the request carries no valid key.
    func requireCaller() throws -> Caller {
        guard let caller else { throw APIError.unauthorized }
        return caller
    }
}

/// The API's JSON: snake_case keys in a stable order (sorted here; the views that lists
/// repeat are written by `JSONObjectWriter` in their declared order).
enum JSONCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()
}
