import Domain
import EventStore
import EventStoreTesting
import Foundation
import Testing
@testable import Quotas

/// A reservation naming a key is appended only while the key's stream is at the version
/// the reservation was decided on: a disabling committed in between is never overtaken.
@Suite("Key guard") struct KeyGuardTests {
    private static let profile = KeyProfile(keyID: "k1", name: "gateway", roles: [.operator],
                                            secretSHA256: Array(repeating: 7, count: 32))

    /// Budget `b` (10,000 tokens) and key `k1`, issued; returns the key's handler and its state.
    private func budgetAndActiveKey(_ store: EventStore) async throws -> (CommandHandler<Key>, FoldedState<KeyState>) {
        try await define(store, "b", tokens: 10_000)
        let keys = CommandHandler(store: store, decider: Key.self)
        _ = try await keys.handle(.issue(Self.profile, now: Date()), tenant: "acme", stream: Key.stream("k1"))
        return (keys, try await store.state(of: Key.self, tenant: "acme", stream: Key.stream("k1")))
    }

    private func keyed(_ request: ReserveRequest, _ key: FoldedState<KeyState>) -> ReserveRequest {
        var request = request
        request.keyID = "k1"
        request.key = key.state.record
        request.keyVersion = key.version
        return request
    }

    @Test func aReservationDecidedOnAKeyDisabledSince_isRefused_andWritesNothing() async throws {
        try await TestDatabase.withStore { store in
            let (keys, active) = try await budgetAndActiveKey(store)
            _ = try await keys.handle(.disable(now: Date()), tenant: "acme", stream: Key.stream("k1"))
            let before = try await store.count(tenant: "acme")

            // The request carries the key as it was read before the disabling committed.
            await #expect(throws: ReservationError.self) {
                try await ledger(store).reserve(tenant: "acme", budgetID: "b", keyed(request("r1"), active))
            }
            #expect(try await store.count(tenant: "acme") == before)
        }
    }

    @Test func aReservationOnACurrentKey_isGranted() async throws {
        try await TestDatabase.withStore { store in
            let (_, active) = try await budgetAndActiveKey(store)
            let granted = try await ledger(store).reserve(tenant: "acme", budgetID: "b", keyed(request("r1"), active))
            #expect(granted.position != nil)
        }
    }

    @Test func aGuardWithoutAnExactVersion_isRefusedByTheStore() async throws {
        try await TestDatabase.withStore { store in
            func event() -> NewEvent { NewEvent(type: "LockAcquired", data: #"{"holder":"h"}"#) }
            await #expect(throws: EventStoreError.self) {
                try await store.append(tenant: "acme", [StreamAppend(stream: "lock-1", expected: .any, events: [event()]),
                                                        StreamAppend(stream: "lock-2", expected: .any, events: [])])
            }
            await #expect(throws: EventStoreError.self) {
                try await store.append(tenant: "acme", [StreamAppend(stream: "lock-2", expected: .exact(1), events: [])])
            }
            _ = try await store.append(tenant: "acme", [StreamAppend(stream: "lock-2", expected: .any, events: [event()])])
            let guarded = try await store.append(tenant: "acme", [StreamAppend(stream: "lock-1", expected: .any, events: [event()]),
                                                                  StreamAppend(stream: "lock-2", expected: .exact(1), events: [])])
            #expect(guarded.events.count == 1)
            await #expect(throws: EventStoreError.self) {
                try await store.append(tenant: "acme", [StreamAppend(stream: "lock-1", expected: .any, events: [event()]),
                                                        StreamAppend(stream: "lock-2", expected: .exact(2), events: [])])
            }
            #expect(try await store.count(tenant: "acme") == 2)
        }
    }
}
