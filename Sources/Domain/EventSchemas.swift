import Schemas
import SwiftProtobuf

/// The protobuf message of every event type this release defines (schemas/), by type.
public enum EventSchemas {
    /// The message type for event `type`; nil for a type without a schema here.
    public static func messageType(for type: String) -> (any SwiftProtobuf.Message.Type)? {
        switch type {
        case "LockAcquired": Eventloom_V1_LockAcquired.self
        case "LockReleased": Eventloom_V1_LockReleased.self
        case "KeyIssued": Eventloom_V1_KeyIssued.self
        case "KeyRevoked": Eventloom_V1_KeyRevoked.self
        case "KeyDisabled": Eventloom_V1_KeyDisabled.self
        case "KeyEnabled": Eventloom_V1_KeyEnabled.self
        case "KeyExpired": Eventloom_V1_KeyExpired.self
        case "KeyDeleted": Eventloom_V1_KeyDeleted.self
        case "KeyRestored": Eventloom_V1_KeyRestored.self
        case "KeyRenewed": Eventloom_V1_KeyRenewed.self
        case "BudgetDefined": Eventloom_V1_BudgetDefined.self
        case "BudgetWindowOpened": Eventloom_V1_BudgetWindowOpened.self
        case "TokensReserved": Eventloom_V1_TokensReserved.self
        case "TokensConsumed": Eventloom_V1_TokensConsumed.self
        case "TokensRefunded": Eventloom_V1_TokensRefunded.self
        case "BudgetThresholdCrossed": Eventloom_V1_BudgetThresholdCrossed.self
        case "BudgetExhausted": Eventloom_V1_BudgetExhausted.self
        case "ReservationOpened": Eventloom_V1_ReservationOpened.self
        case "ReservationSettled": Eventloom_V1_ReservationSettled.self
        case "ReservationReleased": Eventloom_V1_ReservationReleased.self
        case "ReservationExpired": Eventloom_V1_ReservationExpired.self
        case "ModelPriceSet": Eventloom_V1_ModelPriceSet.self
        case "PriceMultiplierSet": Eventloom_V1_PriceMultiplierSet.self
        case "SessionStarted": Eventloom_V1_SessionStarted.self
        case "MessageAppended": Eventloom_V1_MessageAppended.self
        case "MessageEdited": Eventloom_V1_MessageEdited.self
        case "BranchSwitched": Eventloom_V1_BranchSwitched.self
        case "SessionRenamed": Eventloom_V1_SessionRenamed.self
        case "SessionConfigChanged": Eventloom_V1_SessionConfigChanged.self
        case "SessionTagged": Eventloom_V1_SessionTagged.self
        case "SessionArchived": Eventloom_V1_SessionArchived.self
        case "SessionUnarchived": Eventloom_V1_SessionUnarchived.self
        case "SessionDeleted": Eventloom_V1_SessionDeleted.self
        case "SessionRestored": Eventloom_V1_SessionRestored.self
        case "SessionSummarized": Eventloom_V1_SessionSummarized.self
        case "SessionShared": Eventloom_V1_SessionShared.self
        case "ShareRevoked": Eventloom_V1_ShareRevoked.self
        case "ShareViewed": Eventloom_V1_ShareViewed.self
        default: nil
        }
    }

    /// The binary protobuf of the event stored as proto3 JSON `json`.
    /// - Returns: nil when `type` has no schema here.
    /// - Throws: ``EventCodingError/invalidPayload(type:reason:)`` when `json` does not fit the schema.
    public static func binary(type: String, json: String) throws -> [UInt8]? {
        guard let messageType = messageType(for: type) else { return nil }
        do {
            let message = try messageType.init(jsonString: json)
            return try message.serializedBytes()
        } catch {
            throw EventCodingError.invalidPayload(type: type, reason: "\(error)")
        }
    }
}
