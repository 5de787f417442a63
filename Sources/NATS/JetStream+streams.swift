import CNATS
import Foundation

extension JetStream {
    /// Creates the stream, or updates it to `configuration` if it exists with another one.
    /// - Throws: ``NATSError`` from the JetStream API (e.g. subjects overlapping another stream).
    @discardableResult
    public func createOrUpdateStream(_ configuration: StreamConfiguration) async throws -> StreamState {
        let context = UnsafeSend(self.context)
        return try await BlockingCalls.run {
            do {
                return try Self.putStream(configuration, context: context.value, update: false)
            } catch let error as NATSError where error.jetStreamCode == JetStreamErrorCode.streamNameInUse {
                return try Self.putStream(configuration, context: context.value, update: true)
            }
        }
    }

    /// The stream's message count and sequences.
    /// - Throws: ``NATSError`` with `jetStreamCode` ``JetStreamErrorCode/streamNotFound`` if absent.
    public func streamState(_ name: String) async throws -> StreamState {
        let context = UnsafeSend(self.context)
        return try await BlockingCalls.run { () throws(NATSError) -> StreamState in
            var info: UnsafeMutablePointer<jsStreamInfo>?
            var error = jsErrCode(0)
            try check(js_GetStreamInfo(&info, context.value, name, nil, &error), "stream info \(name)", jsError: error)
            defer { jsStreamInfo_Destroy(info) }
            return StreamState(info!.pointee.State)
        }
    }

    /// Deletes the stream and every message in it.
    /// - Throws: ``NATSError`` with `jetStreamCode` ``JetStreamErrorCode/streamNotFound`` if absent.
    public func deleteStream(_ name: String) async throws {
        let context = UnsafeSend(self.context)
        try await BlockingCalls.run {
            var error = jsErrCode(0)
            try check(js_DeleteStream(context.value, name, nil, &error), "delete stream \(name)", jsError: error)
        }
    }

    /// The message stored at `sequence` of stream `name`, with its headers.
    /// - Throws: ``NATSError`` with `jetStreamCode` ``JetStreamErrorCode/messageNotFound`` if absent.
    public func message(stream name: String, sequence: UInt64) async throws -> NATSMessage {
        let context = UnsafeSend(self.context)
        return try await BlockingCalls.run { () throws(NATSError) -> NATSMessage in
            var msg: OpaquePointer?
            var error = jsErrCode(0)
            try check(js_GetMsg(&msg, context.value, name, sequence, nil, &error),
                      "get message \(sequence) of \(name)", jsError: error)
            defer { natsMsg_Destroy(msg) }
            return NATSMessage(copying: msg!)
        }
    }

    private static func putStream(_ configuration: StreamConfiguration, context: OpaquePointer, update: Bool)
        throws(NATSError) -> StreamState
    {
        var config = jsStreamConfig()
        try check(jsStreamConfig_Init(&config), "init stream config")
        config.Storage = configuration.fileStorage ? js_FileStorage : js_MemoryStorage
        config.Duplicates = configuration.duplicateWindow.milliseconds * 1_000_000
        let subjects = configuration.subjects.map { strdup($0) }
        defer { subjects.forEach { free($0) } }
        var subjectPointers = subjects.map { UnsafePointer<CChar>($0) }
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var error = jsErrCode(0)
        let status = configuration.name.withCString { name in
            subjectPointers.withUnsafeMutableBufferPointer { subjectArray in
                config.Name = name
                config.Subjects = subjectArray.baseAddress
                config.SubjectsLen = Int32(subjectArray.count)
                return update ? js_UpdateStream(&info, context, &config, nil, &error)
                              : js_AddStream(&info, context, &config, nil, &error)
            }
        }
        try check(status, "\(update ? "update" : "create") stream \(configuration.name)", jsError: error)
        defer { jsStreamInfo_Destroy(info) }
        return StreamState(info!.pointee.State)
    }
}

extension StreamState {
    init(_ state: jsStreamState) {
        self.init(messages: state.Msgs, firstSequence: state.FirstSeq, lastSequence: state.LastSeq)
    }
}
