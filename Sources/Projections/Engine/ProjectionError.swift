import EventStore
import Foundation

/// Why a projection could not move on.
public enum ProjectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The checkpoint was not where this runner left it: another process wrote it
    /// (a rebuild swapped in, or a second owner). The batch was rolled back.
    case checkpointMoved(projection: String)
    /// No projection of that name is registered.
    case unknownProjection(String)
    /// The name cannot name a schema (see ``ProjectionName``).
    case invalidName(String)
    /// The projection subscribes to event types that no registered family defines
    /// (``Domain/EventRegistry``): it would wait for events that can never arrive.
    case unknownEventTypes(projection: String, types: [String])

    public var description: String {
        switch self {
        case .checkpointMoved(let name): "projection \(name): the checkpoint moved under this runner"
        case .unknownProjection(let name): "no projection named \(name)"
        case .invalidName(let name): "\(name) is not a valid projection name (a-z, 0-9, _; at most 40)"
        case .unknownEventTypes(let name, let types):
            "projection \(name) subscribes to event types no aggregate defines: \(types.joined(separator: ", "))"
        }
    }
}
