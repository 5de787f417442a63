@testable import API
import EventStore
import EventStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Testing

@Suite("Audit export and verification") struct AuditExportTests {
    @Test func export_jsonlAndCSV_holdEveryEntryTheListHas_acrossPages() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            try await api.append(tenant: "acme", stream: "lock-many", count: 1_500)
            let last = try await api.append(tenant: "globex", stream: "lock-other", count: 3)
            var listed: [String] = []
            var after = ""
            while true {
                let page = try json(try await api.get("/v1/audit?limit=1000&consistent_with=\(last)\(after)", key: key))
                let entries = try #require(page["entries"] as? [[String: Any]])
                listed += entries.compactMap { $0["event_id"] as? String }
                guard let next = page["next_after"] as? String else { break }
                after = "&after=\(next)"
            }
            #expect(listed.count == 1_501, "1,500 locks and the key's own KeyIssued")

            let jsonl = try await api.get("/v1/audit/export?format=jsonl", key: key)
            #expect(jsonl.status == .ok && jsonl.headers[.contentType] == "application/x-ndjson")
            let ids = try String(buffer: jsonl.body).split(separator: "\n").map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["event_id"] as? String
            }
            #expect(ids == listed)

            let csv = try await api.get("/v1/audit/export?format=csv&resource=lock-many", key: key)
            let rows = String(buffer: csv.body).split(separator: "\r\n")
            #expect(rows.first.map(String.init) == AuditCSV.header.replacingOccurrences(of: "\r\n", with: ""))
            #expect(rows.count == 1_501 && rows.dropFirst().allSatisfy { $0.contains(",lock-many,") })
            try expectProblem(try await api.get("/v1/audit/export?format=xml", key: key), .badRequest)
        }
    }

    @Test(arguments: [("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
                      ("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("-1+2", "'-1+2"), ("@x", "'@x")])
    func csvField_isQuotedAndNeverAFormula(text: String, field: String) {
        #expect(AuditCSV.field(text) == field)
    }

    @Test func verify_reportsIntactChains_andTheFirstBrokenLinkAfterTampering() async throws {
        try await APITest.run { api in
            let key = try await api.issueKey(tenant: "acme")
            try await api.append(tenant: "acme", stream: "lock-a", count: 5)
            let intact = try json(try await api.get("/v1/audit/verify", key: key))
            #expect(intact["intact"] as? Bool == true && intact["events"] as? Int == 6)
            try await api.store.client.withConnection { connection in
                try await connection.query("ALTER TABLE events DISABLE TRIGGER events_append_only", logger: Logger(label: "t"))
                try await connection.query("""
                    UPDATE events SET data = '{"holder": "mallory"}' WHERE stream_id = 'lock-a' AND stream_version = 3
                    """, logger: Logger(label: "t"))
                try await connection.query("ALTER TABLE events ENABLE TRIGGER events_append_only", logger: Logger(label: "t"))
            }
            let broken = try json(try await api.get("/v1/audit/verify?stream=lock-a", key: key))
            let breaks = try #require(broken["breaks"] as? [[String: Any]])
            #expect(broken["intact"] as? Bool == false && broken["events"] as? Int == 5)
            #expect(breaks.count == 1 && breaks.first?["stream"] as? String == "lock-a"
                    && breaks.first?["stream_version"] as? Int == 3)
        }
    }
}
