import Domain
import DomainTesting
import Foundation
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

private func seal(_ sequence: Int64, size: Int64) -> SealRecord {
    SealRecord(sequence: sequence, treeSize: size, rootHash: String(repeating: "ab", count: 32), through: "\(size)-\(size)",
               sealedAt: t0, keyID: "0123456789abcdef", publicKey: String(repeating: "cd", count: 32),
               signature: String(repeating: "ef", count: 64))
}

@Suite struct SealDeciderTests {
    @Test func theFirstSeal_isRecorded() {
        LogSeal.given().when(.record(seal(1, size: 10))).then([.sealed(seal(1, size: 10))])
    }

    @Test func theNextSeal_overMoreEvents_isRecorded_andBecomesTheState() {
        LogSeal.given(.sealed(seal(1, size: 10)))
            .when(.record(seal(2, size: 25)))
            .thenState(SealState(sequence: 2, treeSize: 25))
    }

    @Test func aSealOutOfOrder_isRefused() {
        LogSeal.given(.sealed(seal(1, size: 10))).when(.record(seal(3, size: 30))).thenThrows(SealError.outOfOrder(expected: 2, got: 3))
        LogSeal.given(.sealed(seal(1, size: 10))).when(.record(seal(1, size: 10))).thenThrows(SealError.outOfOrder(expected: 2, got: 1))
    }

    @Test func aSealOverNoMoreEvents_isRefused() {
        LogSeal.given(.sealed(seal(1, size: 10))).when(.record(seal(2, size: 10))).thenThrows(SealError.notGrowing(previous: 10, got: 10))
    }

    @Test func aSeal_roundTripsThroughItsSchema() throws {
        let event = SealEvent.sealed(seal(4, size: 99))
        #expect(try SealEvent(type: event.type, schemaVersion: 1, json: try event.jsonData()) == event)
        #expect(event.type == "LogSealed" && EventRegistry.typeNames.contains("LogSealed"))
        #expect(seal(4, size: 99).signedText == "eventloom-seal-v1 4 99 \(String(repeating: "ab", count: 32)) 99-99")
    }
}
