import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging

/// Log lines on standard error in swift-log's `StreamLogHandler` layout
/// (`<time> <level> <label>: <key>=<value> … [<source>] <message>`), its metadata formatted
/// when a line is written rather than whenever it changes: the HTTP server sets a request
/// id on every request's logger, and most requests write no line at all.
struct StandardErrorLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String) {
        self.label = label
        self.metadataProvider = LoggingSystem.metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let line = Self.line(time: Self.timestamp(), label: label, event: event, metadata: effectiveMetadata(event))
        Self.write(line)
    }

    /// One `write(2)` a line when it can (a pipe takes up to 4 KiB whole, unmixed with
    /// other threads' lines), the rest after it.
    private static func write(_ line: String) {
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    /// The handler's metadata, then the provider's, then the line's own, and its error.
    func effectiveMetadata(_ event: LogEvent) -> Logger.Metadata {
        var all = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty { all.merge(provided) { $1 } }
        if let explicit = event.metadata, !explicit.isEmpty { all.merge(explicit) { $1 } }
        if let error = event.error {
            all["error.message"] = "\(error)"
            all["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        return all
    }

    /// One line of the log, with its newline.
    static func line(time: String, label: String, event: LogEvent, metadata: Logger.Metadata) -> String {
        let pairs = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "\(time) \(event.level)\(label.isEmpty ? "" : " ")\(label):\(pairs.isEmpty ? "" : " " + pairs) [\(event.source)] \(event.message)\n"
    }

    /// Local time, as `2026-12-07T05:32:59+0000`.
    private static func timestamp() -> String {
        var now = time(nil)
        var local = tm()
        guard localtime_r(&now, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
