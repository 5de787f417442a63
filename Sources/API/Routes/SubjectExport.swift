import EventStore
import Foundation
import Hummingbird
import Projections

/// A data subject's export, as one JSON object written as it is read:
/// `{"subject_id", "status": "held"|"erased", "erased_at", "events": [...], "rows": [{"read_model",
/// "table", "row"}, ...]}`. Events are those whose metadata names the subject, stream by
/// stream (the streams the store recorded for it), each in version order, up to the
/// readable head when the export started, revealed (erased fields read `[erased]`); rows
/// are each read model's rows about the subject (``Projections/SubjectRowQueries``).
struct SubjectExport {
    let store: EventStore
    let database: TenantDatabase
    let tenant: String
    let subject: String

    /// How many bytes are gathered before a write to the client.
    static let flushBytes = 64 << 10
    /// How many events one read returns.
    static let pageSize = 500

    /// Checks that the subject exists and returns the head the export reads to.
    /// - Throws: ``APIError`` 404 for a subject with no key, no event and no read-model row.
    func start() async throws -> (head: Cursor, state: SubjectKeyState) {
        let state = try await store.subjectKeyState(tenant: tenant, subject: subject)
        let head = try await store.readableHead()
        if state == .unknown, try await !hasRows() {
            throw APIError.notFound("no data subject \(subject): nothing about it is recorded")
        }
        return (head, state)
    }

    func write(through start: (head: Cursor, state: SubjectKeyState), to writer: inout any ResponseBodyWriter) async throws {
        var out = ByteBuffer()
        out.writeString("{\"subject_id\":\(JSONText.quoted(subject))")
        switch start.state {
        case .erased(let at): out.writeString(",\"status\":\"erased\",\"erased_at\":\"\(APITime.text(at))\"")
        case .held, .unknown: out.writeString(",\"status\":\"held\",\"erased_at\":null")
        }
        out.writeString(",\"events\":[")
        var first = true
        for stream in try await store.streams(about: subject, tenant: tenant) {
            var from: Int64 = 1
            while true {
                let page = try await store.readStream(tenant: tenant, stream: stream, from: from, limit: Self.pageSize)
                let about = page.filter { $0.cursor <= start.head && $0.dataSubject == subject }
                for event in try await store.revealPersonalData(about) {
                    out.writeString(first ? event.jsonLine : "," + event.jsonLine)
                    first = false
                }
                try await flush(&out, to: &writer, unlessUnder: Self.flushBytes)
                guard page.count == Self.pageSize, let last = page.last else { break }
                from = last.streamVersion + 1
            }
        }
        out.writeString("],\"rows\":[")
        first = true
        for readModel in SubjectReadModels.all {
            try await rows(readModel) { table, json in
                out.writeString(first ? "" : ",")
                out.writeString("{\"read_model\":\(JSONText.quoted(readModel.readModel)),\"table\":\(JSONText.quoted(table)),\"row\":\(json)}")
                first = false
                try await flush(&out, to: &writer, unlessUnder: Self.flushBytes)
            }
        }
        out.writeString("]}\n")
        try await writer.write(out)
        try await writer.finish(nil)
    }

    /// Whether any read model keeps a row about the subject.
    func hasRows() async throws -> Bool {
        var found = false
        for readModel in SubjectReadModels.all where !found {
            try await rows(readModel) { _, _ in found = true }
        }
        return found
    }

    /// `Q`'s rows about the subject, read as the tenant; none while the read model does not exist.
    private func rows<Q: SubjectRowQueries>(_: Q.Type, _ row: SubjectRow.Handler) async throws {
        do {
            try await database.queries(Q.self, as: tenant) { queries in
                try await queries.rows(about: subject, tenant: tenant, row)
            }
        } catch let error as EventStoreError where error.isMissingTable {
            return
        }
    }

    private func flush(_ out: inout ByteBuffer, to writer: inout any ResponseBodyWriter, unlessUnder bytes: Int = 0) async throws {
        guard out.readableBytes > bytes else { return }
        try await writer.write(out)
        out.clear()
    }
}
