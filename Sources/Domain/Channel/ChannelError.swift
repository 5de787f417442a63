import Foundation

/// The rules a channel command can break.
public enum ChannelError: Error, Equatable, Sendable {
    case invalid(field: String, reason: String)
}
