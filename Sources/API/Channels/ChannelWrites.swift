import Domain
import EventStore
import Foundation

/// Every channel command of this process: through ``CommandBatcher`` (``CommandHandler``'s
/// batching form, with a state cache bounded in bytes), so that a busy channel's outcome
/// reports and probe claims share appends instead of racing for the stream's version. A probe
/// slot is written with the stream's expected version: across processes, no more slots are
/// handed out than the breaker has.
struct ChannelWrites: Sendable {
    let store: EventStore
    let clock: WallClock
    let batcher: CommandBatcher<Channel>
    private let cache: StateCache<ChannelState>

    init(store: EventStore, clock: WallClock, cacheBytes: Int = 256 << 20) {
        self.store = store
        self.clock = clock
        self.cache = StateCache(capacity: cacheBytes, weight: Self.approximateBytes)
        self.batcher = CommandBatcher(store: store, cache: cache)
    }

    /// Channel `id`'s state from the log (through the cache); `field` names it in a refusal.
    func state(tenant: String, id: String, field: String) async throws -> ChannelState {
        guard Identifiers.isValidStream(Channel.stream(id)) else { throw APIError.invalid(field, "cannot name a channel") }
        return try await store.state(of: Channel.self, tenant: tenant, stream: Channel.stream(id), cache: cache).state
    }

    /// Decides `command` on channel `id` and appends the result; with `ifVersion` (an
    /// `If-Match`), only while the stream is at that version.
    /// - Throws: ``Domain/ChannelError`` when the command breaks a rule (nothing written);
    ///   ``EventStoreError/Code/wrongExpectedVersion`` when the stream moved past `ifVersion`.
    func handle(_ command: ChannelCommand, tenant: String, id: String, ifVersion: Int64? = nil, metadata: EventMetadata)
        async throws -> CommandHandler<Channel>.Outcome
    {
        guard Identifiers.isValidStream(Channel.stream(id)) else { throw APIError.invalid("id", "cannot name a channel") }
        guard let ifVersion else {
            return try await batcher.handle(command, tenant: tenant, stream: Channel.stream(id), metadata: metadata)
        }
        return try await CommandHandler(store: store, decider: Channel.self, cache: cache)
            .handle([command], tenant: tenant, stream: Channel.stream(id), ifVersion: ifVersion, metadata: metadata)
    }

    /// `secret` sealed with the store's master key for key `keyID` of channel `channelID`.
    /// - Throws: ``APIError`` 422 when the server has no master key.
    func seal(_ secret: String, tenant: String, channelID: String, keyID: String) throws -> ChannelSecret {
        guard let master = store.keyring?.master else {
            throw APIError(.unprocessableContent, "no-master-key", "No master key",
                           detail: "this server has no master key to seal secrets with: send secret_ref instead")
        }
        return .sealed(try master.seal(secret: secret, context: Self.sealContext(tenant: tenant, channelID: channelID, keyID: keyID)))
    }

    /// The secret of key `key` of channel `channelID`: opened when sealed; nil for a reference.
    func open(_ key: ChannelKey, tenant: String, channelID: String) throws -> String? {
        guard case .sealed(let sealed) = key.secret else { return nil }
        guard let keyring = store.keyring else { throw MasterKeyError.doesNotOpen }
        let context = Self.sealContext(tenant: tenant, channelID: channelID, keyID: key.id)
        for master in [keyring.master] + keyring.previous {
            if let secret = try? master.open(sealed: sealed, context: context) { return secret }
        }
        throw MasterKeyError.doesNotOpen
    }

    private static func sealContext(tenant: String, channelID: String, keyID: String) -> String {
        "eventloom-channel-secret-v1\u{0}\(tenant)\u{0}\(channelID)\u{0}\(keyID)"
    }

    /// Roughly what a folded channel holds in memory: its spec, keys, breakers' buckets and
    /// the request ids it remembers.
    @Sendable static func approximateBytes(_ state: ChannelState) -> Int {
        let buckets = ([state.breaker] + Array(state.modelBreakers.values)).count * OutcomeWindow.buckets
        return 4_096 + (state.spec?.models.count ?? 0) * 128 + state.keys.count * 512 + buckets * 64 + state.recent.count * 24
    }
}
