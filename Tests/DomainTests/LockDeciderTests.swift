import Domain
import DomainTesting
import Foundation
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)
private func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }
private let alice = String(repeating: "a1", count: 32)
private let bob = String(repeating: "b2", count: 32)
private let carol = String(repeating: "c3", count: 32)
private func claim(_ owner: String, _ token: String, ttl: TimeInterval = 30) -> LockClaim {
    LockClaim(owner: owner, ownerTokenSHA256: token, ttl: ttl)
}
private func grant(_ token: Int64, _ owner: String, _ hash: String, since: TimeInterval, ttl: TimeInterval = 30,
                   waiter: String? = nil) -> LockGrant {
    LockGrant(token: token, owner: owner, ownerTokenSHA256: hash, since: at(since), expiresAt: at(since + ttl), waiterID: waiter)
}
private func waiter(_ id: String, _ owner: String, _ hash: String, queued: TimeInterval, giveUp: TimeInterval,
                    ttl: TimeInterval = 30) -> LockWaiter {
    LockWaiter(id: id, owner: owner, ownerTokenSHA256: hash, ttl: ttl, queuedAt: at(queued), giveUpAt: at(giveUp))
}

@Suite struct LockDeciderTests {
    @Suite("a lock never used") struct Unknown {
        @Test func acquire_grantsTokenOne() {
            Lock.given()
                .when(.acquire(claim("alice", alice), now: t0))
                .then([.acquired(grant(1, "alice", alice, since: 0))])
        }

        @Test func release_isUnknown() {
            Lock.given().when(.release(ownerTokenSHA256: alice, now: t0)).thenThrows(LockError.unknown)
        }

        @Test func renew_isUnknown() {
            Lock.given().when(.renew(ownerTokenSHA256: alice, ttl: 30, now: t0)).thenThrows(LockError.unknown)
        }

        @Test func forceRelease_isUnknown() {
            Lock.given().when(.forceRelease(by: "key:admin", reason: "stuck", now: t0)).thenThrows(LockError.unknown)
        }

        @Test(arguments: [0, -5, Lock.maximumTTL + 1])
        func acquire_withTTLOutOfRange_isRefused(ttl: TimeInterval) {
            Lock.given()
                .when(.acquire(claim("alice", alice, ttl: ttl), now: t0))
                .thenThrows(LockError.invalid(field: "ttl_ms", reason: "must be in (0, 86400000] milliseconds"))
        }

        @Test(arguments: ["", "  ", "a\u{7}b", String(repeating: "x", count: Lock.maximumOwnerLength + 1)])
        func acquire_withBadOwner_isRefused(owner: String) {
            #expect(throws: LockError.self) { try Lock.decide(.acquire(claim(owner, alice), now: t0), Lock.initialState) }
        }

        @Test func acquire_withOwnerTokenNotAHash_isRefused() {
            Lock.given()
                .when(.acquire(claim("alice", "secret"), now: t0))
                .thenThrows(LockError.invalid(field: "owner_token", reason: "must hash to a hex SHA-256"))
        }

        @Test func acquire_waitingLongerThanAllowed_isRefused() {
            Lock.given()
                .when(.acquire(claim("alice", alice), now: t0, wait: LockWait(waiterID: "w", until: at(Lock.maximumWait + 1))))
                .thenThrows(LockError.invalid(field: "wait_ms", reason: "must be in [0, 30000] milliseconds"))
        }
    }

    @Suite("a held lock") struct Held {
        let taken = LockEvent.acquired(grant(1, "alice", alice, since: 0))

        @Test func acquire_byOtherBeforeExpiry_isLockedWithHolderTokenAndExpiry() {
            Lock.given(taken)
                .when(.acquire(claim("bob", bob), now: at(10)))
                .thenThrows(LockError.held(owner: "alice", token: 1, until: at(30)))
        }

        @Test func acquire_bySameOwnerWithItsOwnerToken_isReentrant_sameTokenTTLExtended() {
            Lock.given(taken)
                .when(.acquire(claim("alice", alice, ttl: 60), now: at(20)))
                .then([.renewed(token: 1, owner: "alice", at: at(20), expiresAt: at(80))])
        }

        /// Re-entrancy is per owner token: a second process of the same owner is a contender.
        @Test func acquire_bySameOwnerWithAnotherOwnerToken_isLocked() {
            Lock.given(taken)
                .when(.acquire(claim("alice", bob), now: at(20)))
                .thenThrows(LockError.held(owner: "alice", token: 1, until: at(30)))
        }

        @Test func acquire_afterExpiry_recordsExpiryAndGrantsNextTokenTogether() {
            Lock.given(taken)
                .when(.acquire(claim("bob", bob), now: at(45)))
                .then([.expired(token: 1, owner: "alice", at: at(30)), .acquired(grant(2, "bob", bob, since: 45))])
        }

        @Test func acquire_exactlyAtExpiry_grantsIt() {
            Lock.given(taken)
                .when(.acquire(claim("bob", bob), now: at(30)))
                .then([.expired(token: 1, owner: "alice", at: at(30)), .acquired(grant(2, "bob", bob, since: 30))])
        }

        @Test func renew_byHolder_extendsFromNow() {
            Lock.given(taken)
                .when(.renew(ownerTokenSHA256: alice, ttl: 10, now: at(25)))
                .then([.renewed(token: 1, owner: "alice", at: at(25), expiresAt: at(35))])
        }

        @Test func renew_afterExpiry_isNotHolder() {
            Lock.given(taken).when(.renew(ownerTokenSHA256: alice, ttl: 10, now: at(31))).thenThrows(LockError.notHolder)
        }

        @Test func renew_withOtherToken_isNotHolder() {
            Lock.given(taken).when(.renew(ownerTokenSHA256: bob, ttl: 10, now: at(5))).thenThrows(LockError.notHolder)
        }

        @Test func release_byHolder_freesIt() {
            Lock.given(taken)
                .when(.release(ownerTokenSHA256: alice, now: at(5)))
                .then([.released(token: 1, owner: "alice", at: at(5))])
        }

        @Test func release_byOther_isNotHolder() {
            Lock.given(taken).when(.release(ownerTokenSHA256: bob, now: at(5))).thenThrows(LockError.notHolder)
        }

        @Test func release_afterExpiry_isNotHolder() {
            Lock.given(taken).when(.release(ownerTokenSHA256: alice, now: at(30))).thenThrows(LockError.notHolder)
        }

        @Test func forceRelease_takesItWithReason() {
            Lock.given(taken)
                .when(.forceRelease(by: "key:admin", reason: "stuck deploy", now: at(5)))
                .then([.forceReleased(token: 1, owner: "alice", by: "key:admin", reason: "stuck deploy", at: at(5))])
        }

        @Test func forceRelease_withoutReason_isRefused() {
            Lock.given(taken)
                .when(.forceRelease(by: "key:admin", reason: " ", now: at(5)))
                .thenThrows(LockError.invalid(field: "reason", reason: "must not be empty"))
        }

        @Test func expire_beforeTTL_changesNothing() {
            Lock.given(taken).when(.expire(now: at(29))).then([])
        }

        @Test func expire_afterTTL_recordsTheTimeItRanOut() {
            Lock.given(taken).when(.expire(now: at(31.5))).then([.expired(token: 1, owner: "alice", at: at(30))])
        }

        @Test func fence_withTokenInForce_passes() throws {
            try Lock.checkFence(token: 1, state: Lock.fold([taken]), now: at(29))
        }

        @Test func fence_pastTTL_isStaleEvenWithNoNewerGrant() {
            #expect(throws: LockError.staleToken(presented: 1, current: nil)) {
                try Lock.checkFence(token: 1, state: Lock.fold([taken]), now: at(30))
            }
        }
    }

    @Suite("a lock re-granted") struct Regranted {
        let history: [LockEvent] = [
            .acquired(grant(1, "alice", alice, since: 0)),
            .expired(token: 1, owner: "alice", at: at(30)),
            .acquired(grant(2, "bob", bob, since: 40)),
        ]

        @Test func fence_withOlderToken_isStale_namingTheCurrentGrant() {
            #expect(throws: LockError.staleToken(presented: 1, current: 2)) {
                try Lock.checkFence(token: 1, state: Lock.fold(history), now: at(41))
            }
        }

        @Test func release_byFormerHolder_isNotHolder() {
            Lock.given(history).when(.release(ownerTokenSHA256: alice, now: at(41))).thenThrows(LockError.notHolder)
        }

        @Test func acquire_afterRelease_getsAGreaterToken() {
            Lock.given(history + [.released(token: 2, owner: "bob", at: at(45))])
                .when(.acquire(claim("alice", alice), now: at(50)))
                .then([.acquired(grant(3, "alice", alice, since: 50))])
        }

        @Test func forceRelease_ofFreeLock_isNotHeld() {
            Lock.given(history + [.released(token: 2, owner: "bob", at: at(45))])
                .when(.forceRelease(by: "key:admin", reason: "x", now: at(50)))
                .thenThrows(LockError.notHeld)
        }
    }

    @Suite("waiters") struct Waiters {
        let taken = LockEvent.acquired(grant(1, "alice", alice, since: 0))
        let bobWaits = LockEvent.queued(waiter("w-bob", "bob", bob, queued: 1, giveUp: 21))
        let carolWaits = LockEvent.queued(waiter("w-carol", "carol", carol, queued: 2, giveUp: 22))

        @Test func acquire_withWait_whenHeld_queues() {
            Lock.given(taken)
                .when(.acquire(claim("bob", bob), now: at(1), wait: LockWait(waiterID: "w-bob", until: at(21))))
                .then([bobWaits])
        }

        @Test func acquire_withWait_whenFree_grantsAtOnce() {
            Lock.given()
                .when(.acquire(claim("bob", bob), now: at(1), wait: LockWait(waiterID: "w-bob", until: at(21))))
                .then([.acquired(grant(1, "bob", bob, since: 1))])
        }

        @Test func acquire_withWait_again_changesNothing() {
            Lock.given(taken, bobWaits)
                .when(.acquire(claim("bob", bob), now: at(3), wait: LockWait(waiterID: "w-bob", until: at(21))))
                .then([])
        }

        @Test func release_handsTheLockToTheFirstWaiter() {
            Lock.given(taken, bobWaits, carolWaits)
                .when(.release(ownerTokenSHA256: alice, now: at(5)))
                .then([.released(token: 1, owner: "alice", at: at(5)),
                       .acquired(grant(2, "bob", bob, since: 5, waiter: "w-bob"))])
        }

        @Test func release_afterHandOver_keepsTheRestQueuedInOrder() {
            Lock.given(taken, bobWaits, carolWaits)
                .when(.release(ownerTokenSHA256: alice, now: at(5)))
                .thenState(LockState(grant: grant(2, "bob", bob, since: 5, waiter: "w-bob"), lastToken: 2,
                                     waiters: [waiter("w-carol", "carol", carol, queued: 2, giveUp: 22)], isKnown: true))
        }

        @Test func release_skipsAWaiterThatGaveUp() {
            Lock.given(taken, bobWaits, carolWaits)
                .when(.release(ownerTokenSHA256: alice, now: at(21.5)))
                .then([.released(token: 1, owner: "alice", at: at(21.5)),
                       .acquired(grant(2, "carol", carol, since: 21.5, waiter: "w-carol"))])
        }

        @Test func expiry_handsTheLockToTheFirstWaiter() {
            Lock.given(taken, LockEvent.queued(waiter("w-bob", "bob", bob, queued: 1, giveUp: 60)))
                .when(.expire(now: at(31)))
                .then([.expired(token: 1, owner: "alice", at: at(30)),
                       .acquired(grant(2, "bob", bob, since: 31, waiter: "w-bob"))])
        }

        @Test func forceRelease_handsTheLockToTheFirstWaiter() {
            Lock.given(taken, bobWaits)
                .when(.forceRelease(by: "key:admin", reason: "stuck", now: at(6)))
                .then([.forceReleased(token: 1, owner: "alice", by: "key:admin", reason: "stuck", at: at(6)),
                       .acquired(grant(2, "bob", bob, since: 6, waiter: "w-bob"))])
        }

        @Test func acquire_withoutWait_whileOthersQueue_isLocked() {
            Lock.given(taken, bobWaits)
                .when(.acquire(claim("carol", carol), now: at(3)))
                .thenThrows(LockError.held(owner: "alice", token: 1, until: at(30)))
        }

        @Test func acquire_afterExpiry_whileOthersQueue_goesToTheQueueHeadFirst() {
            Lock.given(taken, LockEvent.queued(waiter("w-bob", "bob", bob, queued: 1, giveUp: 60)))
                .when(.acquire(claim("carol", carol), now: at(31)))
                .thenThrows(LockError.held(owner: "bob", token: 2, until: at(61)))
        }

        @Test func leaveQueue_removesTheWaiter() {
            Lock.given(taken, bobWaits, carolWaits)
                .when(.leaveQueue(waiterID: "w-bob", now: at(4)))
                .then([.leftQueue(waiterID: "w-bob", owner: "bob", at: at(4))])
        }

        @Test func leaveQueue_afterBeingGranted_changesNothing() {
            Lock.given(taken, bobWaits, .released(token: 1, owner: "alice", at: at(5)),
                       .acquired(grant(2, "bob", bob, since: 5, waiter: "w-bob")))
                .when(.leaveQueue(waiterID: "w-bob", now: at(6)))
                .then([])
        }

        @Test func acquire_withWait_whenQueueFull_isRefused() {
            let queue = (0..<Lock.maximumWaiters).map {
                LockEvent.queued(waiter("w-\($0)", "o-\($0)", bob, queued: 1, giveUp: 50))
            }
            Lock.given([taken] + queue)
                .when(.acquire(claim("carol", carol), now: at(2), wait: LockWait(waiterID: "w-late", until: at(20))))
                .thenThrows(LockError.queueFull(limit: Lock.maximumWaiters))
        }
    }
}
