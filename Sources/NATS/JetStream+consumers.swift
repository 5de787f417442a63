import CNATS

extension JetStream {
    /// Binds to durable pull consumer `configuration.durable` of `stream`, creating it
    /// (delivering from the stream's first message) if it does not exist yet.
    /// - Throws: ``NATSError``: stream not found, or the existing consumer filters
    ///   another subject.
    public func pullSubscribe(stream: String, consumer configuration: ConsumerConfiguration) async throws
        -> PullSubscription
    {
        let context = UnsafeSend(self.context)
        let pointer = try await BlockingCalls.run { () throws(NATSError) -> UnsafeSend<OpaquePointer> in
            try Self.ensureConsumer(configuration, stream: stream, context: context.value)
            return UnsafeSend(try Self.bind(configuration, stream: stream, context: context.value))
        }
        return PullSubscription(jetStream: self, stream: stream, durable: configuration.durable, pointer: pointer.value)
    }

    /// Creates the consumer unless it exists. The C client deletes a consumer that its own
    /// subscribe call created once that subscription ends, durable or not, so consumers
    /// are created here and subscriptions only bind to them.
    private static func ensureConsumer(_ configuration: ConsumerConfiguration, stream: String, context: OpaquePointer)
        throws(NATSError)
    {
        var info: UnsafeMutablePointer<jsConsumerInfo>?
        var error = jsErrCode(0)
        let status = js_GetConsumerInfo(&info, context, stream, configuration.durable, nil, &error)
        if status == NATS_OK {
            defer { jsConsumerInfo_Destroy(info) }
            let existing = info?.pointee.Config?.pointee.FilterSubject.map { String(cString: $0) }
            guard (existing ?? "") == (configuration.filterSubject ?? "") else {
                throw NATSError(code: .invalidArgument, operation: "bind consumer \(configuration.durable)",
                    message: "it exists with filter subject '\(existing ?? "")', not '\(configuration.filterSubject ?? "")'")
            }
            return
        }
        guard Int(error.rawValue) == JetStreamErrorCode.consumerNotFound else {
            throw NATSError(status: status, jsErrCode: error, operation: "consumer info \(configuration.durable)")
        }
        try create(configuration, stream: stream, context: context)
    }

    private static func create(_ configuration: ConsumerConfiguration, stream: String, context: OpaquePointer)
        throws(NATSError)
    {
        var config = jsConsumerConfig()
        try check(jsConsumerConfig_Init(&config), "init consumer config")
        config.AckPolicy = js_AckExplicit
        config.DeliverPolicy = js_DeliverAll
        config.AckWait = configuration.ackWait.milliseconds * 1_000_000
        config.MaxAckPending = Int64(configuration.maxAckPending)
        var info: UnsafeMutablePointer<jsConsumerInfo>?
        var error = jsErrCode(0)
        let status = configuration.durable.withCString { durable in
            withOptionalCString(configuration.filterSubject) { filter in
                config.Durable = durable
                config.FilterSubject = filter
                return js_AddConsumer(&info, context, stream, &config, nil, &error)
            }
        }
        defer { jsConsumerInfo_Destroy(info) }
        try check(status, "create consumer \(configuration.durable) on \(stream)", jsError: error)
    }

    private static func bind(_ configuration: ConsumerConfiguration, stream: String, context: OpaquePointer)
        throws(NATSError) -> OpaquePointer
    {
        var options = jsSubOptions()
        try check(jsSubOptions_Init(&options), "init subscribe options")
        var subscription: OpaquePointer?
        var error = jsErrCode(0)
        let status = stream.withCString { stream in
            configuration.durable.withCString { durable in
                options.Stream = stream
                options.Consumer = durable
                return js_PullSubscribe(&subscription, context, configuration.filterSubject, durable, nil, &options, &error)
            }
        }
        try check(status, "bind consumer \(configuration.durable) on \(stream)", jsError: error)
        return subscription!
    }
}
