import Domain
import DomainTesting
import Foundation
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)
private let hash = [UInt8](repeating: 7, count: 32)
private let profile = KeyProfile(keyID: "k1", name: "gateway", roles: [.operator, .reader], secretSHA256: hash,
                                 userID: "u1", departmentID: "d1", group: "vip", allowedModels: ["gpt-4o"],
                                 expiresAt: t0 + 3_600)
private let issued = KeyEvent.issued(profile, at: t0)

private func profile(name: String = "gateway", roles: [KeyRole] = [.reader], hash: [UInt8] = hash, expiresAt: Date? = nil) -> KeyProfile {
    KeyProfile(keyID: "k1", name: name, roles: roles, secretSHA256: hash, expiresAt: expiresAt)
}

@Suite struct KeyDeciderTests {
    @Suite("a key not yet issued") struct NotIssued {
        @Test func issue_recordsTheRolesSortedAndTheProfile() {
            var unsorted = profile
            unsorted.roles = [.reader, .operator]
            Key.given().when(.issue(unsorted, now: t0)).then([issued])
        }

        @Test func revoke_isRefused() {
            Key.given().when(.revoke(now: t0)).thenThrows(KeyError.notIssued)
        }

        @Test(arguments: ["", String(repeating: "n", count: Key.maximumNameLength + 1), "tab\there"])
        func issue_withABadName_isRefused(name: String) {
            Key.given().when(.issue(profile(name: name), now: t0))
                .thenThrows(KeyError.invalidCommand(reason: "name must be 1-\(Key.maximumNameLength) characters, without control characters"))
        }

        @Test func issue_withoutRoles_isRefused() {
            Key.given().when(.issue(profile(roles: []), now: t0))
                .thenThrows(KeyError.invalidCommand(reason: "a key needs at least one role"))
        }

        @Test func issue_withAHashThatIsNotSHA256_isRefused() {
            Key.given().when(.issue(profile(hash: [1, 2]), now: t0))
                .thenThrows(KeyError.invalidCommand(reason: "the secret hash is not SHA-256"))
        }

        @Test func issue_expiringInThePast_isRefused() {
            Key.given().when(.issue(profile(expiresAt: t0), now: t0))
                .thenThrows(KeyError.invalidCommand(reason: "expires_at must be in the future"))
        }
    }

    @Suite("an active key") struct Active {
        @Test func revoke_revokesIt() {
            Key.given(issued).when(.revoke(now: t0 + 5)).then([.revoked(keyID: "k1", at: t0 + 5)])
        }

        @Test func issueAgain_isRefused() {
            Key.given(issued).when(.issue(profile(), now: t0)).thenThrows(KeyError.alreadyIssued(keyID: "k1"))
        }

        @Test func disable_thenItNoLongerAuthenticates() {
            Key.given(issued).when(.disable(now: t0 + 1))
                .thenState(.issued(KeyRecord(profile: profile, status: .disabled, issuedAt: t0, changedAt: t0 + 1)))
            #expect(Key.fold([issued, .disabled(keyID: "k1", at: t0 + 1)]).record?.isUsable(at: t0 + 2) == false)
        }

        @Test func enable_whenActive_changesNothing() {
            Key.given(issued).when(.enable(now: t0)).then([])
        }

        @Test func expire_beforeItsTime_changesNothing_andAtItsTimeExpiresIt() {
            Key.given(issued).when(.expire(now: t0 + 3_599)).then([])
            Key.given(issued).when(.expire(now: t0 + 3_600)).then([.expired(keyID: "k1", at: t0 + 3_600)])
        }

        @Test func pastItsExpiry_itDoesNotAuthenticateEvenBeforeTheExpiryIsRecorded() {
            let record = Key.fold([issued]).record!
            #expect(record.isUsable(at: t0 + 3_599))
            #expect(!record.isUsable(at: t0 + 3_600))
            #expect(record.effectiveStatus(at: t0 + 3_600) == .expired)
        }

        @Test func delete_thenRestore_bringsItBack() {
            let deleted = Key.fold([issued, .deleted(keyID: "k1", at: t0 + 1)]).record!
            #expect(deleted.deleted && !deleted.isUsable(at: t0 + 2))
            Key.given(issued, .deleted(keyID: "k1", at: t0 + 1)).when(.restore(now: t0 + 2))
                .then([.restored(keyID: "k1", at: t0 + 2)])
        }

        @Test func allowList_permitsOnlyTheModelsNamed() {
            #expect(profile.allows(model: "gpt-4o"))
            #expect(!profile.allows(model: "gpt-4o-mini"))
            #expect(KeyProfile(keyID: "k2", name: "n", roles: [.reader], secretSHA256: hash).allows(model: "anything"))
        }
    }

    @Suite("an expired key") struct Expired {
        let expired = KeyEvent.expired(keyID: "k1", at: t0 + 3_600)

        @Test func enable_isRefused_renewIsTheWay() {
            Key.given(issued, expired).when(.enable(now: t0 + 3_700))
                .thenThrows(KeyError.notApplicable(reason: "an expired key is renewed, not enabled"))
        }

        @Test func renew_movesTheExpiryAndMakesItActive() {
            Key.given(issued, expired).when(.renew(expiresAt: t0 + 7_200, now: t0 + 3_700))
                .thenState(.issued(KeyRecord(profile: { var p = profile; p.expiresAt = t0 + 7_200; return p }(),
                                             status: .active, issuedAt: t0, changedAt: t0 + 3_700)))
        }

        @Test func renew_intoThePast_isRefused() {
            Key.given(issued, expired).when(.renew(expiresAt: t0, now: t0 + 3_700))
                .thenThrows(KeyError.invalidCommand(reason: "expires_at must be in the future"))
        }
    }

    @Suite("a revoked key") struct Revoked {
        @Test func revokeAgain_changesNothing() {
            Key.given(issued, .revoked(keyID: "k1", at: t0)).when(.revoke(now: t0 + 9)).then([])
        }

        @Test(arguments: [KeyCommand.enable(now: t0 + 9), .disable(now: t0 + 9), .renew(expiresAt: nil, now: t0 + 9), .restore(now: t0 + 9)])
        func anyOtherChange_isRefused(command: KeyCommand) {
            Key.given(issued, .revoked(keyID: "k1", at: t0)).when(command).thenThrows(KeyError.revoked)
        }
    }

    @Test(arguments: [issued, .revoked(keyID: "k1", at: t0), .disabled(keyID: "k1", at: t0), .enabled(keyID: "k1", at: t0),
                      .expired(keyID: "k1", at: t0), .deleted(keyID: "k1", at: t0), .restored(keyID: "k1", at: t0),
                      .renewed(keyID: "k1", expiresAt: t0 + 60, at: t0), .renewed(keyID: "k1", expiresAt: nil, at: t0),
                      .issued(profile(), at: t0)])
    func event_roundTripsThroughProto3JSON(event: KeyEvent) throws {
        let decoded = try KeyEvent(type: event.type, schemaVersion: 1, json: try event.jsonData())
        #expect(decoded == event)
    }

    @Test func keyIssuedWrittenBeforeProfiles_readsAsTheDefaultGroupWithoutExpiry() throws {
        let old = #"{"keyId":"k1","name":"gateway","roles":["reader"],"secretSha256":"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=","issuedAt":"2027-01-15T08:00:00Z"}"#
        guard case .issued(let decoded, _) = try KeyEvent(type: "KeyIssued", schemaVersion: 1, json: old) else {
            Issue.record("not an issue"); return
        }
        #expect(decoded.group == "default" && decoded.expiresAt == nil && decoded.allowedModels.isEmpty && decoded.userID == nil)
    }
}
