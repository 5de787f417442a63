import Foundation

/// An API key of one tenant, with roles. Stream: `key-<key id>`, in the key's tenant.
public enum Key: Decider {
    public typealias Command = KeyCommand
    public typealias Event = KeyEvent
    public typealias State = KeyState

    public static let category = "key"
    public static let initialState = KeyState.none
    /// The longest key name, in characters.
    public static let maximumNameLength = 100
    /// The most models a key's allow-list may name.
    public static let maximumAllowedModels = 100

    /// The stream of key `keyID`.
    public static func stream(_ keyID: String) -> String { "\(category)-\(keyID)" }
}
