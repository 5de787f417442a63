import Synchronization

/// The acknowledgment of one asynchronous JetStream publish, to await.
public final class PendingAck: Sendable {
    private typealias Waiter = (id: UInt64, continuation: CheckedContinuation<PublishAck, any Error>)

    private enum State {
        case waiting([Waiter], nextID: UInt64)
        case done(Result<PublishAck, NATSError>)
    }

    private let state = Mutex<State>(.waiting([], nextID: 0))

    /// The server's ack, once it arrives.
    /// - Throws: ``NATSError``: `timeout` when none came in time, `jetStream` with the
    ///   server's code (e.g. wrong last sequence), `noResponders` when no stream listens,
    ///   `connectionClosed` when the connection closed first; `CancellationError` when the
    ///   waiting task is cancelled (the ack itself still settles).
    public func value() async throws -> PublishAck {
        let id = state.withLock { state -> UInt64 in
            guard case .waiting(let waiters, let nextID) = state else { return 0 }
            state = .waiting(waiters, nextID: nextID + 1)
            return nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let result: Result<PublishAck, NATSError>? = state.withLock { state in
                    switch state {
                    case .waiting(var waiters, let nextID):
                        waiters.append((id, continuation))
                        state = .waiting(waiters, nextID: nextID)
                        return nil
                    case .done(let result):
                        return result
                    }
                }
                if let result { continuation.resume(with: result) }
                if Task.isCancelled { cancelWaiter(id) }
            }
        } onCancel: {
            cancelWaiter(id)
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<PublishAck, any Error>? in
            guard case .waiting(var waiters, let nextID) = state,
                  let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
            let waiter = waiters.remove(at: index).continuation
            state = .waiting(waiters, nextID: nextID)
            return waiter
        }
        waiter?.resume(throwing: CancellationError())
    }

    /// Whether the ack (or its failure) has arrived.
    public var isSettled: Bool {
        state.withLock { if case .done = $0 { true } else { false } }
    }

    func settle(_ result: Result<PublishAck, NATSError>) {
        let waiters = state.withLock { state -> [Waiter] in
            guard case .waiting(let waiters, _) = state else { return [] }
            state = .done(result)
            return waiters
        }
        for waiter in waiters { waiter.continuation.resume(with: result) }
    }
}
