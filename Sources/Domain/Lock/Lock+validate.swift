import Foundation

extension Lock {
    static func validate(_ claim: LockClaim) throws {
        try validateText(claim.owner, field: "owner", maximum: maximumOwnerLength)
        guard claim.ownerTokenSHA256.utf8.count == 64, claim.ownerTokenSHA256.utf8.allSatisfy(isLowerHex) else {
            throw LockError.invalid(field: "owner_token", reason: "must hash to a hex SHA-256")
        }
        try validateTTL(claim.ttl)
    }

    static func validateTTL(_ ttl: TimeInterval) throws {
        guard ttl > 0, ttl <= maximumTTL else {
            throw LockError.invalid(field: "ttl_ms", reason: "must be in (0, \(Int(maximumTTL * 1000))] milliseconds")
        }
    }

    static func validate(_ wait: LockWait, now: Date) throws {
        guard !wait.waiterID.isEmpty, wait.waiterID.utf8.count <= 64 else {
            throw LockError.invalid(field: "waiter_id", reason: "must be 1-64 bytes")
        }
        let seconds = wait.until.timeIntervalSince(now)
        guard seconds >= 0, seconds <= maximumWait else {
            throw LockError.invalid(field: "wait_ms", reason: "must be in [0, \(Int(maximumWait * 1000))] milliseconds")
        }
    }

    static func validateText(_ text: String, field: String, maximum: Int) throws {
        if let reason = TextRule.problem(with: text, maximum: maximum) { throw LockError.invalid(field: field, reason: reason) }
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
