import Domain

extension EventStore {
    /// A stream's latest state, folded from what `cache` holds (only the events after it
    /// are read; nothing when the cache is nil or has none), and kept there. A cache older
    /// than the last erasure is emptied first.
    /// - Throws: what ``state(of:tenant:stream:asOf:from:)`` throws.
    public func state<D: Decider>(of decider: D.Type, tenant: String, stream: String, cache: StateCache<D.State>?)
        async throws -> FoldedState<D.State> where D.Event: RecordableEvent
    {
        cache?.dropAll(before: erasureEpoch)
        let folded = try await state(of: decider, tenant: tenant, stream: stream, from: cache?.state(tenant: tenant, stream: stream))
        cache?.keep(folded, tenant: tenant, stream: stream)
        return folded
    }
}
