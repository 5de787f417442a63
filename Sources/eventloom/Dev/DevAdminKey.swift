import EventStore
import Foundation

/// The admin key of a dev setup: `EVENTLOOM_ADMIN_KEY`, or one generated on the first run
/// and kept (mode 0600) in the dev folder, so that clients keep working across runs.
enum DevAdminKey {
    static func loadOrCreate(in folder: DevFolder) throws -> String {
        let file = folder.sub("admin-key")
        if let key = try? String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           key.count >= 32 {
            return key
        }
        let key = "elk_admin_" + Hex.random(bytes: 24)
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: file, contents: Data((key + "\n").utf8), attributes: [.posixPermissions: 0o600])
        return key
    }
}
