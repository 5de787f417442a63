import Domain
import DomainTesting
import Foundation
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)
private let hash = [UInt8](repeating: 7, count: 32)
private let issued = KeyEvent.issued(keyID: "k1", name: "gateway", roles: [.operator, .reader], secretSHA256: hash, at: t0)

@Suite struct KeyDeciderTests {
    @Suite("a key not yet issued") struct NotIssued {
        @Test func issue_recordsTheRolesSortedAndTheSecretsHash() {
            Key.given()
                .when(.issue(keyID: "k1", name: "gateway", roles: [.reader, .operator], secretSHA256: hash, now: t0))
                .then([issued])
        }

        @Test func revoke_isRefused() {
            Key.given().when(.revoke(now: t0)).thenThrows(KeyError.notIssued)
        }

        @Test(arguments: ["", String(repeating: "n", count: Key.maximumNameLength + 1), "tab\there"])
        func issue_withABadName_isRefused(name: String) {
            Key.given()
                .when(.issue(keyID: "k1", name: name, roles: [.reader], secretSHA256: hash, now: t0))
                .thenThrows(KeyError.invalidCommand(
                    reason: "name must be 1-\(Key.maximumNameLength) characters, without control characters"))
        }

        @Test func issue_withoutRoles_isRefused() {
            Key.given()
                .when(.issue(keyID: "k1", name: "gateway", roles: [], secretSHA256: hash, now: t0))
                .thenThrows(KeyError.invalidCommand(reason: "a key needs at least one role"))
        }

        @Test func issue_withAHashThatIsNotSHA256_isRefused() {
            Key.given()
                .when(.issue(keyID: "k1", name: "gateway", roles: [.reader], secretSHA256: [1, 2], now: t0))
                .thenThrows(KeyError.invalidCommand(reason: "the secret hash is not SHA-256"))
        }
    }

    @Suite("an issued key") struct Issued {
        @Test func revoke_revokesIt() {
            Key.given(issued).when(.revoke(now: t0 + 5)).then([.revoked(keyID: "k1", at: t0 + 5)])
        }

        @Test func revoke_leavesItRevoked() {
            Key.given(issued).when(.revoke(now: t0 + 5))
                .thenState(.revoked(keyID: "k1", name: "gateway", roles: [.operator, .reader], revokedAt: t0 + 5))
        }

        @Test func issueAgain_isRefused() {
            Key.given(issued)
                .when(.issue(keyID: "k1", name: "other", roles: [.admin], secretSHA256: hash, now: t0))
                .thenThrows(KeyError.alreadyIssued(keyID: "k1"))
        }
    }

    @Suite("a revoked key") struct Revoked {
        @Test func revokeAgain_changesNothing() {
            Key.given(issued, .revoked(keyID: "k1", at: t0)).when(.revoke(now: t0 + 9)).then([])
        }
    }

    @Test(arguments: [issued, KeyEvent.revoked(keyID: "k1", at: t0)])
    func event_roundTripsThroughProto3JSON(event: KeyEvent) throws {
        let decoded = try KeyEvent(type: event.type, schemaVersion: 1, json: try event.jsonData())
        #expect(decoded == event)
    }
}
