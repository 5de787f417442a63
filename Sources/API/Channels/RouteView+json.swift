import Hummingbird

/// The route's answer written directly (the generic encoder with its snake-case keys cost
/// more than the decision): the same keys and values as its `Encodable` form (a test holds
/// them to it).
extension RouteView: ResponseGenerator {
    var json: String {
        var object = JSONObjectWriter(capacity: 256 + fallbacks.count * 224)
        object.field("request_id", requestId)
        object.field("strategy", strategy)
        object.field("channel", json: channel.json)
        object.field("probe", probe)
        object.field("fallbacks", objects: fallbacks) { object, target in target.write(to: &object) }
        return object.finish()
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONPage.response(ByteBuffer(string: json))
    }
}

extension RouteView.Target {
    var json: String {
        var object = JSONObjectWriter(capacity: 224)
        write(to: &object)
        return object.finish()
    }

    func write(to object: inout JSONObjectWriter) {
        object.field("channel_id", channelId)
        object.field("provider", provider)
        object.field("base_url", baseUrl)
        object.field("upstream_model", upstreamModel)
        var key = JSONObjectWriter(capacity: 96)
        key.field("id", self.key.id)
        key.field("secret", self.key.secret)
        key.field("secret_ref", self.key.secretRef)
        object.field("key", json: key.finish())
    }
}
