/// Why a vector index refused an operation.
public struct VectorIndexError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// A vector of the wrong number of components.
        case dimensionMismatch(expected: Int, got: Int)
        /// A component is NaN or infinite.
        case notFinite
        /// The label is not in the index.
        case unknownLabel(UInt64)
        /// The library failed (out of memory, an unreadable file …).
        case library
    }

    public let code: Code
    /// The library's message, when it gave one.
    public let detail: String

    public init(_ code: Code, detail: String = "") {
        self.code = code
        self.detail = detail
    }

    public var description: String {
        switch code {
        case .dimensionMismatch(let expected, let got): "a vector of \(got) components where the index holds \(expected)"
        case .notFinite: "a vector component is NaN or infinite"
        case .unknownLabel(let label): "label \(label) is not in the index"
        case .library: "the vector index failed: \(detail)"
        }
    }
}
