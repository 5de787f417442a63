import Synchronization

/// The acknowledgment of one asynchronous JetStream publish, to await.
public final class PendingAck: Sendable {
    private enum State {
        case waiting([CheckedContinuation<PublishAck, any Error>])
        case done(Result<PublishAck, NATSError>)
    }

    private let state = Mutex<State>(.waiting([]))

    /// The server's ack, once it arrives.
    /// - Throws: ``NATSError``: `timeout` when none came in time, `jetStream` with the
    ///   server's code (e.g. wrong last sequence), `noResponders` when no stream listens.
    public func value() async throws -> PublishAck {
        try await withCheckedThrowingContinuation { continuation in
            let result: Result<PublishAck, NATSError>? = state.withLock { state in
                switch state {
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                case .done(let result):
                    return result
                }
            }
            if let result { continuation.resume(with: result) }
        }
    }

    /// Whether the ack (or its failure) has arrived.
    public var isSettled: Bool {
        state.withLock { if case .done = $0 { true } else { false } }
    }

    func settle(_ result: Result<PublishAck, NATSError>) {
        let waiters = state.withLock { state -> [CheckedContinuation<PublishAck, any Error>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = .done(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }
}
