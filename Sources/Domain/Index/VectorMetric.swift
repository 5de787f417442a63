/// How two vectors are compared; the index's distance is smaller for closer vectors.
public enum VectorMetric: String, Sendable, Hashable, CaseIterable, Codable {
    /// Squared Euclidean distance.
    case l2
    /// Distance `1 − a·b`.
    case innerProduct = "inner_product"
    /// Distance `1 − cos(a, b)`: vectors are normalised to unit length on the way in.
    case cosine
}
