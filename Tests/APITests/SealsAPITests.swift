@testable import API
import EventStore
import EventStoreTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `GET /v1/events/{id}/proof` and `GET /v1/seals/{a}/consistency/{b}` over HTTP, checked
/// by scripts/verify-seals.py, the independent verifier; bad requests are clear problems.
@Suite struct SealsAPITests {
    static let key = try! SealSigningKey(base64: SealSigningKey.generateText())

    /// The repository's root (scripts/ is there).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func proofsFromTheAPI_passTheIndependentVerifier_andAForgedOneFails() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            try await withSealer(api.store, databaseURL: api.databaseURL, key: Self.key, every: 5) {
                for round in 0..<2 {   // at least two seals
                    for n in 0..<6 {
                        _ = try await api.store.append(tenant: "acme", stream: "lock-\(n % 3)", expected: .any,
                                                       events: [testEvent("e\(round)-\(n)")])
                    }
                    try await waitUntilSealed(api.store)
                }
            }
            let events = try await api.store.readLog(after: .start, filter: LogFilter(tenant: "acme", category: "lock"), limit: 100)
            var documents: [String] = []
            for event in events {
                let response = try await api.get("/v1/events/\(event.id.uuidString.lowercased())/proof", key: key)
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                documents.append(String(buffer: response.body))
            }
            let consistency = try await api.get("/v1/seals/1/consistency/2", key: key)
            #expect(consistency.status == .ok, "\(String(buffer: consistency.body))")
            documents.append(String(buffer: consistency.body))

            let good = try Self.verify(documents)
            #expect(good.status == 0, "\(good.output)")
            #expect(good.output.contains("13 proofs: all hold"), "\(good.output)")

            var forged = try #require(try JSONSerialization.jsonObject(with: Data(documents[0].utf8)) as? [String: Any])
            forged["event_hash"] = String(repeating: "0", count: 64)
            let bad = try Self.verify([String(decoding: try JSONSerialization.data(withJSONObject: forged), as: UTF8.self)])
            #expect(bad.status == 1 && bad.output.contains("FAILED"), "\(bad.output)")

            try expectProblem(try await api.get("/v1/events/\(UUID().uuidString)/proof", key: key), .notFound)
            try expectProblem(try await api.get("/v1/events/not-a-uuid/proof", key: key), .notFound)
            try expectProblem(try await api.get("/v1/seals/2/consistency/1", key: key), .badRequest)
            try expectProblem(try await api.get("/v1/seals/x/consistency/1", key: key), .badRequest)
            try expectProblem(try await api.get("/v1/seals/1/consistency/99999", key: key), .notFound)
            let other = try await api.issueKey(tenant: "globex")
            try expectProblem(try await api.get("/v1/events/\(events[0].id.uuidString.lowercased())/proof", key: other), .notFound)
        }
    }

    /// Runs scripts/verify-seals.py on `documents` (one per line).
    static func verify(_ documents: [String]) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("proofs-\(UUID().uuidString).jsonl")
        try documents.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/verify-seals.py").path,
                             "--public-key", key.verifyingKey.hex, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
