import Domain
import EventStore

extension EventStore {
    /// The API key `keyID` names, folded from its stream, and the stream's version.
    /// - Throws: ``APIError`` 400 naming `key_id` when no key of `tenant` has that id.
    func keyRecord(_ keyID: String, tenant: String) async throws -> (record: KeyRecord, version: Int64) {
        guard Identifiers.isValidStream(Key.stream(keyID)) else { throw APIError.invalid("key_id", "names no key") }
        let folded = try await state(of: Key.self, tenant: tenant, stream: Key.stream(keyID))
        guard let record = folded.state.record else { throw APIError.invalid("key_id", "names no key") }
        return (record, folded.version)
    }
}
