import Foundation

/// Where a running `eventloom dev` serves the PostgreSQL and NATS it started itself, written
/// to its folder (mode 0600) while it runs, so that every other command run from the same
/// folder (`events tail`, `verify`, `replay`, …) finds them without copying URLs from the
/// banner. Only a file of this user's, naming a live process, is believed.
struct DevEndpoints: Equatable {
    let databaseURL: String
    let natsURL: String
    let pid: Int32

    static func file(in folder: DevFolder) -> String { folder.sub("endpoints") }

    /// The endpoints of the dev process running for `folder`; nil when none runs there.
    static func running(in folder: DevFolder = .resolve(nil)) -> DevEndpoints? {
        guard let text = try? String(contentsOfFile: file(in: folder), encoding: .utf8),
              let endpoints = DevEndpoints(text: text), endpoints.pid > 1, kill(endpoints.pid, 0) == 0,
              let owner = try? FileManager.default.attributesOfItem(atPath: file(in: folder))[.ownerAccountID] as? NSNumber,
              owner.uint32Value == getuid() else { return nil }
        return endpoints
    }

    init(databaseURL: String, natsURL: String, pid: Int32) {
        self.databaseURL = databaseURL
        self.natsURL = natsURL
        self.pid = pid
    }

    /// Parses `KEY=value` lines; nil when one is missing.
    init?(text: String) {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        guard let database = values["EVENTLOOM_DATABASE_URL"], let nats = values["EVENTLOOM_NATS_URL"],
              let pid = values["pid"].flatMap(Int32.init) else { return nil }
        self.init(databaseURL: database, natsURL: nats, pid: pid)
    }

    var text: String { "EVENTLOOM_DATABASE_URL=\(databaseURL)\nEVENTLOOM_NATS_URL=\(natsURL)\npid=\(pid)\n" }

    func write(in folder: DevFolder) throws {
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        try text.write(toFile: Self.file(in: folder), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: Self.file(in: folder))
    }

    static func remove(in folder: DevFolder) {
        try? FileManager.default.removeItem(atPath: file(in: folder))
    }
}
