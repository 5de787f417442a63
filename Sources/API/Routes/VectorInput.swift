import Domain

/// A vector in a request body: a JSON array of numbers, or a string holding the base64 of
/// its float32 components, little-endian (``Float32Base64``), which costs far less to send
/// and to read than decimal text.
struct VectorInput: Decodable {
    let components: [Float]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self) else {
            components = try container.decode([Float].self)
            return
        }
        guard let components = Float32Base64.decode(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                "must be an array of numbers, or a base64 string of little-endian float32 components (4 bytes each)"))
        }
        self.components = components
    }
}
