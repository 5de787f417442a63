import Domain

/// A seeded generator, so that a run draws the same numbers every time (a failing random
/// test replays from its seed).
public typealias SeededGenerator = FastRandom

extension FastRandom {
    public init(state: UInt64) {
        self.init(seed: state)
    }
}
