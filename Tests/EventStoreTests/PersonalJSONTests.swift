@testable import EventStore
import Foundation
import Testing

/// Rewriting personal strings in stored JSON: only the strings at the declared paths
/// change, every other byte stays.
@Suite struct PersonalJSONTests {
    @Test func onlyTheStringsAtTheDeclaredPathsChange_andEveryOtherByteStays() throws {
        let json = #"{"sessionId":"s1","content":"hello","tokens":"12","ratio":1.50,"citations":[{"quote":"a","chunkId":"c"},{"quote":"b"}],"tags":["x","y"],"config":{"systemPrompt":"be kind","temperature":1e3},"empty":[],"none":null}"#
        let rewritten = try PersonalJSON.rewrite(json, paths: ["content", "citations[].quote", "tags[]", "config.systemPrompt"]) {
            "<\($0.path)#\($0.index):\($0.value)>"
        }
        #expect(rewritten == #"{"sessionId":"s1","content":"<content#0:hello>","tokens":"12","ratio":1.50,"citations":[{"quote":"<citations[].quote#0:a>","chunkId":"c"},{"quote":"<citations[].quote#1:b>"}],"tags":["<tags[]#0:x>","<tags[]#1:y>"],"config":{"systemPrompt":"<config.systemPrompt#0:be kind>","temperature":1e3},"empty":[],"none":null}"#)
    }

    @Test func escapesAreDecodedForTheTransform_andTheResultIsEscapedAgain() throws {
        let json = #"{"content": "line\none \"quoted\" \u00e9 \ud83d\ude00 \\ \/", "other" : "\n"}"#
        let found = try PersonalJSON.strings(in: json, paths: ["content"])
        #expect(found == [PersonalJSON.Occurrence(path: "content", index: 0, value: "line\none \"quoted\" é 😀 \\ /")])
        let same = try PersonalJSON.rewrite(json, paths: ["content"]) { $0.value }
        let parsed = try JSONSerialization.jsonObject(with: Data(same.utf8)) as? [String: String]
        #expect(parsed?["content"] == "line\none \"quoted\" é 😀 \\ /")
        #expect(same.hasSuffix(#", "other" : "\n"}"#), "bytes outside the path are untouched: \(same)")
    }

    @Test func aPathThatNamesNoStringIsLeftAlone_andNoPathsMeansNoParsing() throws {
        let json = #"{"content":{"nested":"x"},"tags":"not an array","n":3}"#
        #expect(try PersonalJSON.strings(in: json, paths: ["content", "tags[]", "n"]) == [])
        #expect(try PersonalJSON.rewrite("not json at all", paths: []) { _ in "x" } == "not json at all")
    }

    @Test(arguments: [#"{"content":"x""#, #"{"content" "x"}"#, #"{"content":"x"} extra"#, #"{"content":"\q"}"#, #"["a",]"#, ""])
    func textThatIsNotJSON_isRefused(json: String) {
        #expect(throws: PersonalJSONError.self) { try PersonalJSON.rewrite(json, paths: ["content"]) { $0.value } }
    }
}
