import Domain
import Testing

@Suite struct ChunkTests {
    static func chunk(vector: [Float] = [0.5, -0.25, 1], start: Int = 0, end: Int = 10,
                      metadata: [String: String] = [:]) -> Chunk {
        Chunk(ordinal: 0, start: start, end: end, text: "ten bytes!", metadata: metadata, vector: vector)
    }

    @Test func aWellFormedChunk_hasNoProblem() {
        #expect(Self.chunk().problem(dimension: 3, contentSize: 10) == nil)
    }

    @Test func aVectorOfAnotherDimension_isRefused() {
        #expect(Self.chunk().problem(dimension: 4, contentSize: 10)?.field == "vector")
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity, 70_000])
    func aComponentThatHalfPrecisionCannotHold_isRefused(component: Float) {
        #expect(Self.chunk(vector: [0, component, 0]).problem(dimension: 3, contentSize: 10)?.field == "vector")
    }

    @Test func offsetsOutsideTheContent_areRefused() {
        #expect(Self.chunk(start: 5, end: 11).problem(dimension: 3, contentSize: 10)?.field == "start")
        #expect(Self.chunk(start: 6, end: 5).problem(dimension: 3, contentSize: 10)?.field == "start")
    }

    @Test func tooMuchMetadata_isRefused() {
        let metadata = Dictionary(uniqueKeysWithValues: (0..<17).map { ("k\($0)", "v") })
        #expect(Self.chunk(metadata: metadata).problem(dimension: 3, contentSize: 10)?.field == "metadata")
    }

    @Test func halfPrecision_roundTripsWithinItsPrecision() {
        let vector: [Float] = [0.1, -0.333, 1e-3, 65_504, 0]
        let decoded = HalfPrecision.decode(HalfPrecision.encode(vector))
        #expect(decoded.count == vector.count)
        #expect(HalfPrecision.encode(vector).count == 10)
        for (a, b) in zip(vector, decoded) { #expect(abs(a - b) <= abs(a) / 1_000 + 1e-7) }
        #expect(decoded == HalfPrecision.rounded(vector))
    }
}
