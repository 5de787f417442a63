import Foundation

/// What a key is issued with: who it acts for, what it may do, and until when.
public struct KeyProfile: Sendable, Hashable, Codable {
    public var keyID: String
    public var name: String
    public var roles: [KeyRole]
    /// The SHA-256 of the secret; the secret itself is shown once and never kept.
    public var secretSHA256: [UInt8]
    /// The user and department the key's spending counts against, if any.
    public var userID: String?
    public var departmentID: String?
    /// The price group whose multiplier applies to the key's reservations.
    public var group: String
    /// The models the key may reserve for; empty: any model.
    public var allowedModels: [String]
    /// When the key stops authenticating; nil: never.
    public var expiresAt: Date?

    public init(
        keyID: String, name: String, roles: [KeyRole], secretSHA256: [UInt8], userID: String? = nil,
        departmentID: String? = nil, group: String = "default", allowedModels: [String] = [], expiresAt: Date? = nil
    ) {
        self.keyID = keyID
        self.name = name
        self.roles = roles
        self.secretSHA256 = secretSHA256
        self.userID = userID
        self.departmentID = departmentID
        self.group = group
        self.allowedModels = allowedModels
        self.expiresAt = expiresAt
    }

    /// True when the allow-list is empty or names `model`.
    public func allows(model: String) -> Bool { allowedModels.isEmpty || allowedModels.contains(model) }
}
