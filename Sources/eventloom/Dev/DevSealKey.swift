import EventStore
import Foundation

/// The seal signing key of a dev setup, when none is configured: generated on the first
/// run and kept (mode 0600) in the dev folder beside the master key, so that the seals of
/// one run verify with the key of the next.
enum DevSealKey {
    /// The path of the key file, created when missing.
    static func file(in folder: DevFolder) throws -> String {
        let file = folder.sub("seal-key")
        if let text = try? String(contentsOfFile: file, encoding: .utf8), (try? SealSigningKey(base64: text)) != nil {
            return file
        }
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: file, contents: Data((SealSigningKey.generateText() + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CommandFailure("cannot write the dev seal key to \(file)")
        }
        return file
    }
}
