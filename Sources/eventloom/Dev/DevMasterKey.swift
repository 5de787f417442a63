import EventStore
import Foundation

/// The master key of a dev setup, when none is configured: generated on the first run and
/// kept (mode 0600) in the dev folder beside the admin key, so that the personal data
/// written in one run still opens in the next.
enum DevMasterKey {
    /// The path of the key file, created when missing.
    static func file(in folder: DevFolder) throws -> String {
        let file = folder.sub("master-key")
        if let text = try? String(contentsOfFile: file, encoding: .utf8), (try? MasterKey(base64: text)) != nil {
            return file
        }
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: file, contents: Data((MasterKey.generateText() + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CommandFailure("cannot write the dev master key to \(file)")
        }
        return file
    }
}
