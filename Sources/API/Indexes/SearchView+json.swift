import Hummingbird

/// The search's answer written directly (the generic encoder cost a tenth of a search's
/// time): the same keys and values as its `Encodable` form (a test holds them to it).
extension SearchView: ResponseGenerator {
    var json: String {
        var object = JSONObjectWriter(capacity: 128 + hits.count * 320)
        object.field("search_id", searchId)
        object.field("index", index)
        object.field("version", version)
        object.field("metric", metric)
        object.field("hits", objects: hits) { object, hit in hit.write(to: &object) }
        return object.finish()
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONPage.response(ByteBuffer(string: json))
    }
}

extension SearchView.Hit {
    func write(to object: inout JSONObjectWriter) {
        object.field("task_id", taskId)
        object.field("ordinal", ordinal)
        object.field("document_id", documentId)
        object.field("commit_id", commitId)
        object.field("start", start)
        object.field("end", end)
        object.field("distance", distance)
    }
}
