@testable import API
import Domain
import Foundation
@testable import Projections
import Testing

/// The hand-written JSON of a search's answer says what its `Encodable` form says, and a
/// vector may come as numbers or as base64 float32.
@Suite struct SearchViewJSONTests {
    static func hit(_ document: String, distance: Float) -> SearchView.Hit {
        SearchView.Hit(ChunkHit(taskID: "kb:1:\(document)", ordinal: 7, documentID: document, commitID: "c\"1",
                                start: 0, end: 12_345, distance: distance))
    }

    @Test(arguments: [Float(0.84424245), 0, 1e-7, -3.5, 1.0e30])
    func searchViewMatchesItsEncodableForm(distance: Float) throws {
        let view = SearchView(searchId: "1.x.y", index: "kb-main", version: 2, metric: "cosine",
                              hits: [Self.hit("quote \" back \\ nl \n bell \u{7} 故宫", distance: distance), Self.hit("d", distance: 1)])
        let mine = try JSONSerialization.jsonObject(with: Data(view.json.utf8)) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: JSONCoding.encoder.encode(view)) as? NSDictionary
        #expect(mine != nil, "not a JSON object: \(view.json)")
        #expect(mine == theirs, "\(view.json)")
        let empty = SearchView(searchId: "s", index: "i", version: 1, metric: "l2", hits: [])
        #expect(try JSONSerialization.jsonObject(with: Data(empty.json.utf8)) as? NSDictionary
                == JSONSerialization.jsonObject(with: JSONCoding.encoder.encode(empty)) as? NSDictionary)
    }

    @Test func aVectorInBase64DecodesToTheSameComponentsAsNumbers() throws {
        let components: [Float] = [0.5, -1.25, 3.0e-8, 65504, .leastNonzeroMagnitude, -0.0]
        let numbers = #"{"vector":[0.5,-1.25,3.0e-8,65504,1.4e-45,-0.0]}"#
        let base64 = #"{"vector":"\#(Float32Base64.encode(components))"}"#
        let fromNumbers = try JSONCoding.decoder.decode(Holder.self, from: Data(numbers.utf8)).vector.components
        let fromBase64 = try JSONCoding.decoder.decode(Holder.self, from: Data(base64.utf8)).vector.components
        #expect(fromBase64.map(\.bitPattern) == components.map(\.bitPattern))
        #expect(fromNumbers == components)
        // Little-endian on the wire, whatever the host: 1.0 is 00 00 80 3f.
        #expect(Float32Base64.encode([1.0]) == "AACAPw==")
    }

    @Test(arguments: [(#"{"vector":"not base64!"}"#, "base64 string"), (#"{"vector":"AACA"}"#, "4 bytes each"),
                      (#"{"vector":7}"#, "array"), (#"{"vector":[1,"x"]}"#, "vector[1]")])
    func aBadVectorIsNamedInTheError(body: String, expected: String) throws {
        do {
            _ = try JSONCoding.decoder.decode(Holder.self, from: Data(body.utf8))
            Issue.record("\(body) decoded")
        } catch let error as DecodingError {
            let problem = APIError.fromDecoding(error)
            #expect(problem.detail.contains(expected), "\(problem.detail)")
            #expect(problem.detail.hasPrefix("vector"), "\(problem.detail)")
        }
    }

    struct Holder: Decodable {
        let vector: VectorInput
    }
}
