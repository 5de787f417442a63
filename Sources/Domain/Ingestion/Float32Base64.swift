import Foundation

/// A vector as the base64 of its float32 components, little-endian, 4 bytes each: the
/// compact form clients may send instead of a JSON array of numbers.
public enum Float32Base64 {
    /// The base64 text of `components`.
    public static func encode(_ components: [Float]) -> String {
        var bytes = Data(capacity: components.count * 4)
        for component in components {
            withUnsafeBytes(of: component.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes.base64EncodedString()
    }

    /// The components `text` holds; nil when it is not base64 or not a whole number of float32s.
    public static func decode(_ text: String) -> [Float]? {
        guard let bytes = Data(base64Encoded: text), bytes.count % 4 == 0 else { return nil }
        return bytes.withUnsafeBytes { raw in
            (0..<(bytes.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}
