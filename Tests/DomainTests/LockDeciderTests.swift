import Domain
import DomainTesting
import Foundation
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)
private func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

@Suite struct LockDeciderTests {
    @Suite("a free lock") struct Free {
        @Test func acquire_whenFree_grantsLeaseFromNow() {
            Lock.given()
                .when(.acquire(holder: "ci-7", lease: 30, now: t0))
                .then([.acquired(holder: "ci-7", at: t0, expiresAt: at(30))])
        }

        @Test func acquire_whenFree_leavesLockHeldUntilLeaseEnds() {
            Lock.given()
                .when(.acquire(holder: "ci-7", lease: 30, now: t0))
                .thenState(.held(holder: "ci-7", until: at(30)))
        }

        @Test func release_whenFree_changesNothing() {
            Lock.given().when(.release(holder: "ci-7", now: t0)).then([])
        }

        @Test(arguments: [0, -5, Lock.maximumLease + 1])
        func acquire_withLeaseOutOfRange_isRefused(lease: TimeInterval) {
            Lock.given()
                .when(.acquire(holder: "ci-7", lease: lease, now: t0))
                .thenThrows(LockError.invalidCommand(reason: "lease must be in (0, 86400] seconds"))
        }

        @Test func acquire_withEmptyHolder_isRefused() {
            Lock.given()
                .when(.acquire(holder: "", lease: 30, now: t0))
                .thenThrows(LockError.invalidCommand(reason: "holder is empty"))
        }
    }

    @Suite("a held lock") struct Held {
        let taken = LockEvent.acquired(holder: "ci-7", at: t0, expiresAt: at(30))

        @Test func acquire_byOtherBeforeExpiry_isRefusedWithHolderAndExpiry() {
            Lock.given(taken)
                .when(.acquire(holder: "ci-8", lease: 30, now: at(10)))
                .thenThrows(LockError.heldByOther(holder: "ci-7", until: at(30)))
        }

        @Test func acquire_byOtherAfterExpiry_grantsIt() {
            Lock.given(taken)
                .when(.acquire(holder: "ci-8", lease: 30, now: at(30)))
                .then([.acquired(holder: "ci-8", at: at(30), expiresAt: at(60))])
        }

        @Test func acquire_byHolder_renewsLease() {
            Lock.given(taken)
                .when(.acquire(holder: "ci-7", lease: 60, now: at(20)))
                .then([.acquired(holder: "ci-7", at: at(20), expiresAt: at(80))])
        }

        @Test func release_byHolder_freesIt() {
            Lock.given(taken)
                .when(.release(holder: "ci-7", now: at(5)))
                .then([.released(holder: "ci-7", at: at(5))])
        }

        @Test func release_byHolder_leavesLockFree() {
            Lock.given(taken).when(.release(holder: "ci-7", now: at(5))).thenState(.free)
        }

        @Test func release_byOther_isRefused() {
            Lock.given(taken)
                .when(.release(holder: "ci-8", now: at(5)))
                .thenThrows(LockError.notHolder(holder: "ci-8"))
        }

        @Test func release_afterExpiry_changesNothing() {
            Lock.given(taken).when(.release(holder: "ci-7", now: at(31))).then([])
        }
    }

    @Suite("a released lock") struct Released {
        @Test func acquire_byAnyone_grantsIt() {
            Lock.given(.acquired(holder: "ci-7", at: t0, expiresAt: at(30)), .released(holder: "ci-7", at: at(1)))
                .when(.acquire(holder: "ci-8", lease: 10, now: at(2)))
                .then([.acquired(holder: "ci-8", at: at(2), expiresAt: at(12))])
        }
    }
}
