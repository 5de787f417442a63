import Domain
import Foundation
import Schemas
import SwiftProtobuf
import Testing

/// A family whose kinds break the registry's rules, to show each check can fail.
private enum BrokenEvent: EventFamily {
    enum Kind: String, EventKind {
        case misnamed = "LockTaken"
        case duplicate = "KeyIssued"

        var message: any SwiftProtobuf.Message.Type {
            switch self {
            case .misnamed: Eventloom_V1_LockAcquired.self
            case .duplicate: Eventloom_V1_KeyIssued.self
            }
        }

        var personalFields: PersonalFields {
            self == .misnamed ? ["holder"] : ["nope", "roles[]", "expiresAt", "name"]
        }
    }

    case misnamed, duplicate

    var kind: Kind { self == .misnamed ? .misnamed : .duplicate }
    func jsonData() throws -> String { try kind.encode(Eventloom_V1_KeyRevoked()) }
    init(type: String, schemaVersion: Int, json: String) throws {
        let kind = try Kind.named(type, schemaVersion: schemaVersion)
        _ = try kind.decode(Eventloom_V1_KeyRevoked.self, from: json)
        self = .misnamed
    }
}

@Suite struct EventRegistryTests {
    @Test func everyRegisteredTypeHasTheSchemaNamedLikeIt() {
        #expect(EventRegistry.misnamedSchemas(in: EventRegistry.families) == [])
        #expect(EventRegistry.misnamedSchemas(in: [BrokenEvent.self]) == ["LockTaken"])
    }

    @Test func noTwoFamiliesDeclareTheSameType() {
        #expect(EventRegistry.duplicates(in: EventRegistry.families) == [])
        #expect(EventRegistry.duplicates(in: EventRegistry.families + [BrokenEvent.self]) == ["KeyIssued"])
    }

    @Test func everyPersonalFieldIsAStringOfItsSchema() {
        #expect(EventRegistry.personalFieldsNotStrings(in: EventRegistry.families) == [])
        #expect(EventRegistry.personalFieldsNotStrings(in: [BrokenEvent.self]) == ["KeyIssued.expiresAt", "KeyIssued.nope"])
        #expect(EventRegistry.personalFields(of: "MessageAppended").paths == ["content", "citations[].quote"])
        #expect(EventRegistry.personalFields(of: "BudgetDefined").isEmpty)
        #expect(EventRegistry.personalFields(of: "NoSuchEvent").isEmpty)
    }

    @Test func theLookupAndEachFamilyAgree() {
        let counted = EventRegistry.families.map { family in family.typeNames.count }.reduce(0, +)
        #expect(EventRegistry.types.count == counted)
        #expect(EventRegistry.typeNames.isSuperset(of: KeyEvent.typeNames.union(SessionEvent.typeNames)))
        #expect(EventRegistry.messageType(for: "ShareViewed") == Eventloom_V1_ShareViewed.self)
        #expect(EventRegistry.messageType(for: "NoSuchEvent") == nil)
        #expect(EventRegistry.unknown(in: ["KeyIssued", "NoSuchEvent", "AlsoMissing"]) == ["AlsoMissing", "NoSuchEvent"])
    }

    @Test func anEventIsStoredAsItsKindsSchemaAndRelayedAsThatBinary() throws {
        let event = KeyEvent.disabled(keyID: "k1", at: Date(timeIntervalSince1970: 1_700_000_000))
        let json = try event.jsonData()
        #expect(event.type == "KeyDisabled")
        let binary = try #require(try EventRegistry.binary(type: event.type, json: json))
        let message = try Eventloom_V1_KeyDisabled(serializedBytes: binary)
        #expect(message.keyID == "k1")
        #expect(try EventRegistry.binary(type: "NoSuchEvent", json: json) == nil)
    }

    @Test func aKindRefusesAMessageThatIsNotItsSchema() {
        #expect(throws: EventCodingError.self) { try BrokenEvent.misnamed.jsonData() }
        #expect(throws: EventCodingError.self) { try BrokenEvent(type: "LockTaken", schemaVersion: 1, json: "{}") }
        #expect(throws: EventCodingError.unknownType("Nope")) { try KeyEvent(type: "Nope", schemaVersion: 1, json: "{}") }
        #expect(throws: EventCodingError.unsupportedSchemaVersion(type: "KeyIssued", version: 2)) {
            try KeyEvent(type: "KeyIssued", schemaVersion: 2, json: "{}")
        }
    }
}
