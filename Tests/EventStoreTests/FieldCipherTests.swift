import Crypto
@testable import EventStore
import Foundation
import Testing

/// Personal strings sealed with a subject's key, bound to their place.
@Suite struct FieldCipherTests {
    let key = DataKey(DataKey.generate())
    let place = FieldPlace(tenant: "acme", subject: "u1", eventID: UUID(), path: "content", index: 0)

    @Test func aSealedStringOpensWithItsKeyAtItsPlace_andNowhereElse() throws {
        let sealed = try FieldCipher.seal("Grüße, Alice", with: key, for: place)
        #expect(sealed.hasPrefix(FieldCipher.prefix) && !sealed.contains("Alice"))
        #expect(try FieldCipher.open(sealed, with: key, for: place) == "Grüße, Alice")
        let elsewhere = [
            FieldPlace(tenant: "other", subject: "u1", eventID: place.eventID, path: "content", index: 0),
            FieldPlace(tenant: "acme", subject: "u2", eventID: place.eventID, path: "content", index: 0),
            FieldPlace(tenant: "acme", subject: "u1", eventID: UUID(), path: "content", index: 0),
            FieldPlace(tenant: "acme", subject: "u1", eventID: place.eventID, path: "title", index: 0),
            FieldPlace(tenant: "acme", subject: "u1", eventID: place.eventID, path: "content", index: 1),
        ]
        for other in elsewhere {
            #expect(throws: FieldCipherError.doesNotOpen) { try FieldCipher.open(sealed, with: key, for: other) }
        }
        #expect(throws: FieldCipherError.doesNotOpen) {
            try FieldCipher.open(sealed, with: DataKey(DataKey.generate()), for: place)
        }
        #expect(throws: FieldCipherError.malformed) { try FieldCipher.open("Alice", with: key, for: place) }
    }

    @Test func sealingIsDeterministicForOnePlaceAndText_soARetriedAppendStoresTheSameBytes() throws {
        let first = try FieldCipher.seal("same", with: key, for: place)
        #expect(try FieldCipher.seal("same", with: key, for: place) == first)
        #expect(try FieldCipher.seal("diff", with: key, for: place) != first)
        let nonce = { (sealed: String) in Data(base64Encoded: String(sealed.dropFirst(FieldCipher.prefix.count)))!.prefix(12) }
        #expect(nonce(try FieldCipher.seal("diff", with: key, for: place)) != nonce(first), "two texts never share a nonce")
    }

    @Test func aMasterKeyWrapsASubjectKeyForThatSubjectOnly() throws {
        let master = try MasterKey(base64: MasterKey.generateText())
        let material = DataKey.generate()
        let wrapped = try master.wrap(material, tenant: "acme", subject: "u1")
        let unwrapped = try master.unwrap(wrapped, tenant: "acme", subject: "u1")
        #expect(unwrapped.withUnsafeBytes { Data($0) } == material.withUnsafeBytes { Data($0) })
        #expect(throws: MasterKeyError.doesNotOpen) { try master.unwrap(wrapped, tenant: "acme", subject: "u2") }
        let other = try MasterKey(base64: MasterKey.generateText())
        #expect(other.id != master.id && master.id.count == 16)
        #expect(throws: MasterKeyError.doesNotOpen) { try other.unwrap(wrapped, tenant: "acme", subject: "u1") }
    }

    @Test(arguments: ["", "short", Data(count: 16).base64EncodedString(), String(repeating: "A", count: 44) + "!"])
    func aMasterKeyThatIsNot32BytesOfBase64_isRefused(text: String) {
        #expect(throws: MasterKeyError.notAKey) { try MasterKey(base64: text) }
    }
}
