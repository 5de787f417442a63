import Foundation

extension IngestionTask {
    public static func evolve(_ state: IngestionTaskState, _ event: IngestionTaskEvent) -> IngestionTaskState {
        var state = state
        switch event {
        case .queued(let key, let target, let size, let attempts, _):
            state.key = key
            state.targets = [target]
            state.contentSize = size
            state.maxAttempts = attempts
            state.status = .queued
        case .targetAdded(let target, _):
            state.targets.append(target)
        case .claimed(let claim):
            state.status = .claimed
            state.claim = claim
            state.attempts = claim.attempt
            state.lastToken = max(state.lastToken, claim.token)
            state.retryAt = nil
            state.chunks = 0
            state.parts = 0
        case .progressed(_, let chunks, let parts, let leaseExpiresAt, _):
            state.chunks = chunks
            state.parts = parts
            state.claim?.leaseExpiresAt = leaseExpiresAt
        case .succeeded(_, let result, _):
            state.status = .succeeded
            state.result = result
            state.chunks = result.chunks
            state.parts = result.parts
            state.claim = nil
        case .failed(_, _, let error, let retryAt, _):
            state.status = .queued
            state.lastError = error
            state.retryAt = retryAt
            state.claim = nil
        case .leaseExpired(_, _, let retryAt, _):
            state.status = .queued
            state.lastError = "lease expired"
            state.retryAt = retryAt
            state.claim = nil
        case .deadLettered(_, _, let error, _):
            state.status = .deadLettered
            state.lastError = error
            state.claim = nil
        case .requeued:
            state.status = .queued
            state.attempts = 0
            state.retryAt = nil
        }
        return state
    }
}
