import Domain

extension VectorMetric {
    /// Whether vectors are scaled to unit length before they are stored or searched.
    var normalises: Bool { self == .cosine }

    /// The distance between `a` and `b` under this metric (the same as the index's).
    func distance(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        switch self {
        case .l2:
            var sum: Float = 0
            for i in 0..<a.count { let d = a[i] - b[i]; sum += d * d }
            return sum
        case .innerProduct, .cosine:
            var dot: Float = 0
            for i in 0..<a.count { dot += a[i] * b[i] }
            return 1 - dot
        }
    }

    /// `vector` as stored and searched: unit length for cosine, unchanged otherwise.
    func prepared(_ vector: [Float]) -> [Float] {
        guard normalises else { return vector }
        var norm: Float = 0
        for x in vector { norm += x * x }
        guard norm > 0 else { return vector }
        let scale = 1 / norm.squareRoot()
        return vector.map { $0 * scale }
    }
}
