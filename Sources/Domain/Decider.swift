/// An aggregate's rules as three pure functions.
///
/// `decide` turns a command into the events it causes, given the current state;
/// `evolve` folds one event into the state; `initialState` is the state of a stream
/// with no events. Both functions are deterministic: time, ids and prices come in on
/// the command, never from the environment.
public protocol Decider {
    associatedtype Command: Sendable
    associatedtype Event: Sendable
    associatedtype State: Sendable

    /// The state of a stream that has no events yet.
    static var initialState: State { get }

    /// The events `command` causes in `state`; `[]` when it changes nothing.
    /// - Throws: the aggregate's error when the command breaks one of its rules.
    static func decide(_ command: Command, _ state: State) throws -> [Event]

    /// `state` after `event`. Never fails: an event is a fact.
    static func evolve(_ state: State, _ event: Event) -> State

    /// `evolve` in place: an aggregate whose state is large implements it so that folding
    /// does not copy the state for every event.
    static func apply(_ event: Event, to state: inout State)
}

extension Decider {
    public static func apply(_ event: Event, to state: inout State) {
        state = evolve(state, event)
    }

    /// The state after folding `events`, in order, into `initialState`.
    public static func fold<S: Sequence>(_ events: S) -> State where S.Element == Event {
        var state = initialState
        for event in events { apply(event, to: &state) }
        return state
    }
}
