import Domain
import DomainTesting
import Foundation
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)
private func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }
private let content = String(repeating: "c0", count: 32)
private let key = IngestionTaskKey(index: "kb-main", version: 2, contentSHA256: content)
private let handbook = IngestionTarget(documentID: "handbook", commitID: String(repeating: "a1", count: 32))
private let faq = IngestionTarget(documentID: "faq", commitID: String(repeating: "b2", count: 32))
private let queued = IngestionTaskEvent.queued(key, target: handbook, contentSize: 4_096, maxAttempts: 3, at: t0)
private func claim(_ token: Int64, _ worker: String, attempt: Int, at seconds: TimeInterval, lease: TimeInterval = 60) -> IngestionClaim {
    IngestionClaim(token: token, worker: worker, attempt: attempt, claimedAt: at(seconds), leaseExpiresAt: at(seconds + lease))
}
private let result = IngestionResult(chunks: 12, parts: 2, bytes: 9_600, dataSHA256: String(repeating: "d3", count: 32))

@Suite struct IngestionTaskDeciderTests {
    @Suite("queueing") struct Queueing {
        @Test func queue_aNewTask_queuesIt() {
            IngestionTask.given()
                .when(.queue(key, target: handbook, contentSize: 4_096, maxAttempts: 3, now: t0))
                .then([queued])
        }

        @Test func queue_theSameContentForTheSameVersionTwice_embedsOnce() {
            IngestionTask.given(queued)
                .when(.queue(key, target: handbook, contentSize: 4_096, maxAttempts: 3, now: at(5)))
                .then([])
        }

        @Test func queue_theSameContentFromAnotherDocument_addsATarget() {
            IngestionTask.given(queued, .claimed(claim(1, "w1", attempt: 1, at: 1)))
                .when(.queue(key, target: faq, contentSize: 4_096, maxAttempts: 3, now: at(5)))
                .then([.targetAdded(faq, at: at(5))])
        }

        @Test func queue_withABadKey_isRefused() {
            let bad = IngestionTaskKey(index: "kb-main", version: 2, contentSHA256: "not-a-hash")
            IngestionTask.given()
                .when(.queue(bad, target: handbook, contentSize: 1, maxAttempts: 3, now: t0))
                .thenThrows(IngestionTaskError.invalid(field: "content_sha256", reason: "must be a hex SHA-256"))
        }

        @Test func theStream_isNamedByIndexVersionAndContent() {
            #expect(IngestionTask.stream(key) == "ingest-kb-main:2:\(content)")
            #expect(IngestionTaskKey(id: key.id) == key)
            #expect(IngestionTaskKey(id: "kb-main:0:\(content)") == nil)
        }
    }

    @Suite("claiming") struct Claiming {
        @Test func claim_aQueuedTask_givesTokenOne() {
            IngestionTask.given(queued)
                .when(.claim(worker: "w1", lease: 60, now: at(1)))
                .then([.claimed(claim(1, "w1", attempt: 1, at: 1))])
        }

        @Test func twoWorkersClaimingOneTask_oneWins_theLosersReportsAreRefused() throws {
            let first = try IngestionTask.decide(.claim(worker: "w1", lease: 60, now: at(1)), IngestionTask.fold([queued]))
            let state = IngestionTask.fold([queued] + first)
            #expect(throws: IngestionTaskError.claimed(worker: "w1", until: at(61))) {
                try IngestionTask.decide(.claim(worker: "w2", lease: 60, now: at(1)), state)
            }
            #expect(throws: IngestionTaskError.staleToken(presented: 2, current: 1)) {
                try IngestionTask.decide(.complete(token: 2, result, now: at(2)), state)
            }
            #expect(try IngestionTask.decide(.complete(token: 1, result, now: at(2)), state) == [.succeeded(token: 1, result, at: at(2))])
        }

        @Test func claim_afterTheLeaseRanOut_recordsTheExpiry_andWaitsOutTheBackoff() {
            IngestionTask.given(queued, .claimed(claim(1, "w1", attempt: 1, at: 1)))
                .when(.claim(worker: "w2", lease: 60, now: at(62)))
                .thenThrows(IngestionTaskError.notDue(until: at(66)))
            IngestionTask.given(queued, .claimed(claim(1, "w1", attempt: 1, at: 1)))
                .when(.claim(worker: "w2", lease: 60, now: at(66)))
                .then([.leaseExpired(token: 1, attempt: 1, retryAt: at(66), at: at(66)),
                       .claimed(claim(2, "w2", attempt: 2, at: 66))])
        }

        @Test func theOldHoldersReports_afterANewClaim_areRefused() {
            let history: [IngestionTaskEvent] = [queued, .claimed(claim(1, "w1", attempt: 1, at: 1)),
                                                 .leaseExpired(token: 1, attempt: 1, retryAt: at(66), at: at(66)),
                                                 .claimed(claim(2, "w2", attempt: 2, at: 66))]
            IngestionTask.given(history)
                .when(.reportProgress(token: 1, chunks: 3, parts: 1, lease: 60, now: at(70)))
                .thenThrows(IngestionTaskError.staleToken(presented: 1, current: 2))
            IngestionTask.given(history)
                .when(.fail(token: 1, error: "timeout", retryable: true, now: at(70)))
                .thenThrows(IngestionTaskError.staleToken(presented: 1, current: 2))
        }

        @Test func aHolderPastItsLease_isRefused_evenBeforeAnyoneElseClaims() {
            IngestionTask.given(queued, .claimed(claim(1, "w1", attempt: 1, at: 1)))
                .when(.complete(token: 1, result, now: at(61)))
                .thenThrows(IngestionTaskError.staleToken(presented: 1, current: nil))
        }

        @Test func progress_extendsTheLease() {
            IngestionTask.given(queued, .claimed(claim(1, "w1", attempt: 1, at: 1)))
                .when(.reportProgress(token: 1, chunks: 6, parts: 1, lease: 60, now: at(50)))
                .then([.progressed(token: 1, chunks: 6, parts: 1, leaseExpiresAt: at(110), at: at(50))])
        }

        @Test(arguments: [0.5, 3_601])
        func claim_withALeaseOutOfRange_isRefused(lease: TimeInterval) {
            IngestionTask.given(queued)
                .when(.claim(worker: "w1", lease: lease, now: at(1)))
                .thenThrows(matching: { if case IngestionTaskError.invalid(field: "lease_ms", _) = $0 { true } else { false } })
        }
    }

    @Suite("failing") struct Failing {
        @Test func fail_returnsTheTaskToTheQueue_afterABackoff() {
            IngestionTask.given(queued, .claimed(claim(1, "w1", attempt: 1, at: 1)))
                .when(.fail(token: 1, error: "embedding service 503", retryable: true, now: at(10)))
                .then([.failed(token: 1, attempt: 1, error: "embedding service 503", retryAt: at(15), at: at(10))])
        }

        @Test func backoff_doubles_upToTenMinutes() {
            #expect([1, 2, 3, 4, 10, 50].map(IngestionTask.backoff(afterAttempt:)) == [5, 10, 20, 40, 600, 600])
        }

        @Test func theLastAttemptFailing_deadLettersWithTheError() {
            let history: [IngestionTaskEvent] = [
                queued, .claimed(claim(1, "w1", attempt: 1, at: 1)),
                .failed(token: 1, attempt: 1, error: "503", retryAt: at(15), at: at(10)),
                .claimed(claim(2, "w1", attempt: 2, at: 20)),
                .failed(token: 2, attempt: 2, error: "503", retryAt: at(40), at: at(30)),
                .claimed(claim(3, "w2", attempt: 3, at: 50)),
            ]
            IngestionTask.given(history)
                .when(.fail(token: 3, error: "still 503", retryable: true, now: at(60)))
                .then([.deadLettered(token: 3, attempts: 3, lastError: "still 503", at: at(60))])
        }

        @Test func aFinalFailure_deadLettersAtOnce() {
            IngestionTask.given(queued, .claimed(claim(1, "w1", attempt: 1, at: 1)))
                .when(.fail(token: 1, error: "content is not text", retryable: false, now: at(10)))
                .then([.deadLettered(token: 1, attempts: 1, lastError: "content is not text", at: at(10))])
        }

        @Test func theLastLeaseRunningOut_deadLetters() {
            let history: [IngestionTaskEvent] = [
                .queued(key, target: handbook, contentSize: 1, maxAttempts: 1, at: t0), .claimed(claim(1, "w1", attempt: 1, at: 1)),
            ]
            IngestionTask.given(history)
                .when(.expire(now: at(61)))
                .then([.deadLettered(token: 1, attempts: 1, lastError: "the lease of w1 ran out", at: at(61))])
        }

        @Test func expire_beforeTheLeaseEnds_changesNothing() {
            IngestionTask.given(queued, .claimed(claim(1, "w1", attempt: 1, at: 1)))
                .when(.expire(now: at(60)))
                .then([])
        }

        @Test func aDeadLetteredTask_isNotClaimed_untilRequeued() {
            let dead: [IngestionTaskEvent] = [queued, .claimed(claim(1, "w1", attempt: 1, at: 1)),
                                              .deadLettered(token: 1, attempts: 1, lastError: "bad", at: at(10))]
            IngestionTask.given(dead)
                .when(.claim(worker: "w1", lease: 60, now: at(20)))
                .thenThrows(IngestionTaskError.finished(.deadLettered))
            IngestionTask.given(dead + [.requeued(by: "key:admin", at: at(30))])
                .when(.claim(worker: "w1", lease: 60, now: at(31)))
                .then([.claimed(claim(2, "w1", attempt: 1, at: 31))])
        }

        @Test func aSucceededTask_refusesEveryReport() {
            IngestionTask.given(queued, .claimed(claim(1, "w1", attempt: 1, at: 1)), .succeeded(token: 1, result, at: at(5)))
                .when(.reportProgress(token: 1, chunks: 1, parts: 1, lease: 60, now: at(6)))
                .thenThrows(IngestionTaskError.finished(.succeeded))
        }
    }
}
