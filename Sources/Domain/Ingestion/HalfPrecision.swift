/// Vectors as stored beside the log: IEEE 754 half precision, little-endian, two bytes a
/// component. A vector is rounded once, when it is uploaded; the index and every rebuild
/// of it read the same rounded values.
public enum HalfPrecision {
    /// The largest finite half-precision value.
    public static let largest: Float = 65_504

    /// `vector` rounded to half precision, as bytes.
    public static func encode(_ vector: [Float]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vector.count * 2)
        for component in vector {
            let bits = Float16(component).bitPattern
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
        }
        return bytes
    }

    /// The vector `bytes` hold (an odd last byte is ignored).
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [Float] where Bytes.Index == Int {
        var vector: [Float] = []
        vector.reserveCapacity(bytes.count / 2)
        var i = bytes.startIndex
        while i + 1 < bytes.endIndex {
            vector.append(Float(Float16(bitPattern: UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)))
            i += 2
        }
        return vector
    }

    /// `vector` as the index sees it: rounded to half precision and back.
    public static func rounded(_ vector: [Float]) -> [Float] { vector.map { Float(Float16($0)) } }
}
