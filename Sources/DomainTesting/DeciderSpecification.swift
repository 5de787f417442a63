import Domain
import Testing

/// A decider test, read as `Lock.given(events).when(command).then(expectedEvents)`.
public struct DeciderSpecification<D: Decider> {
    /// The events already in the stream.
    public let history: [D.Event]

    public init(_: D.Type = D.self, given history: [D.Event]) {
        self.history = history
    }

    /// Runs `decide` for `command` on the state folded from the history.
    public func when(_ command: D.Command) -> DeciderOutcome<D> {
        let state = D.fold(history)
        return DeciderOutcome(history: history, result: Result { try D.decide(command, state) })
    }
}

/// What `decide` did with the command: the events it produced, or what it threw.
public struct DeciderOutcome<D: Decider> {
    let history: [D.Event]
    let result: Result<[D.Event], any Error>

    /// Expects `decide` to have produced exactly `expected`.
    public func then(
        _ expected: [D.Event], sourceLocation: SourceLocation = #_sourceLocation
    ) where D.Event: Equatable {
        switch result {
        case .success(let events):
            #expect(events == expected, sourceLocation: sourceLocation)
        case .failure(let error):
            Issue.record("expected \(expected), decide threw \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Expects `decide` to have thrown `expected`.
    public func thenThrows<E: Error & Equatable>(
        _ expected: E, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        switch result {
        case .success(let events):
            Issue.record("expected \(expected) to be thrown, decide returned \(events)", sourceLocation: sourceLocation)
        case .failure(let error):
            #expect((error as? E) == expected, "threw \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Expects `decide` to have thrown an error for which `matches` is true.
    public func thenThrows(
        matching matches: (any Error) -> Bool, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        switch result {
        case .success(let events):
            Issue.record("expected an error, decide returned \(events)", sourceLocation: sourceLocation)
        case .failure(let error):
            #expect(matches(error), "threw \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Expects the state after the history and the produced events to be `expected`.
    public func thenState(
        _ expected: D.State, sourceLocation: SourceLocation = #_sourceLocation
    ) where D.State: Equatable {
        switch result {
        case .success(let events):
            #expect(D.fold(history + events) == expected, sourceLocation: sourceLocation)
        case .failure(let error):
            Issue.record("expected state \(expected), decide threw \(error)", sourceLocation: sourceLocation)
        }
    }
}

extension Decider {
    /// Starts a decider test from a stream holding `events`.
    public static func given(_ events: Event...) -> DeciderSpecification<Self> {
        DeciderSpecification(given: events)
    }

    /// Starts a decider test from a stream holding `events`.
    public static func given(_ events: [Event]) -> DeciderSpecification<Self> {
        DeciderSpecification(given: events)
    }
}
