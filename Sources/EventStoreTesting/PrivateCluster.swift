import Foundation

/// A PostgreSQL cluster of a test's own, on 127.0.0.1:`port`, for tests that stop and
/// restart the database (the suite's shared cluster must stay up for every other test).
/// Created in a folder under /tmp, run as the `postgres` user when the test runs as root,
/// deleted afterwards.
public struct PrivateCluster: Sendable {
    public let port: Int
    let folder: String
    let bin: String

    /// The `eventloom` database, owned by the `eventloom` role.
    public var url: String { "postgres://eventloom@127.0.0.1:\(port)/eventloom" }

    /// Creates and starts a cluster, runs `body`, then stops and deletes it.
    public static func with<T: Sendable>(port: Int, _ body: (PrivateCluster) async throws -> T) async throws -> T {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let newest = versions.compactMap(Int.init).max() else {
            throw Failure(description: "PostgreSQL is not installed: run scripts/setup")
        }
        let cluster = PrivateCluster(port: port, folder: "/tmp/eventloom-cluster-\(UUID().uuidString.lowercased())",
                                     bin: "/usr/lib/postgresql/\(newest)/bin")
        defer { try? FileManager.default.removeItem(atPath: cluster.folder) }
        try await cluster.create()
        do {
            let result = try await body(cluster)
            try? await cluster.stop()
            return result
        } catch {
            try? await cluster.stop()
            throw error
        }
    }

    private func create() async throws {
        try FileManager.default.createDirectory(atPath: folder + "/sock", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        if getuid() == 0 { try await Self.run(["/usr/bin/chown", "-R", "postgres", folder]) }
        try await asOwner([bin + "/initdb", "-D", folder + "/data", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
                           "--auth-local=trust", "--auth-host=trust"])
        let settings = """

            listen_addresses = '127.0.0.1'
            port = \(port)
            unix_socket_directories = '\(folder)/sock'
            max_connections = 200
            shared_buffers = 128MB
            fsync = off

            """
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/data/postgresql.conf"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(settings.utf8))
        try handle.close()
        try await start()
        let psql = [bin + "/psql", "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-qAt", "-d", "postgres", "-c"]
        try await Self.run(psql + ["CREATE ROLE eventloom LOGIN CREATEDB"])
        try await Self.run(psql + ["CREATE DATABASE eventloom OWNER eventloom"])
    }

    /// Starts the cluster and waits until it accepts connections.
    public func start() async throws {
        try await asOwner([bin + "/pg_ctl", "-D", folder + "/data", "-l", folder + "/postgres.log", "-w", "-t", "60", "start"])
    }

    /// A fast shutdown: running transactions are rolled back, sessions are ended.
    public func stop() async throws {
        try await asOwner([bin + "/pg_ctl", "-D", folder + "/data", "-m", "fast", "-w", "stop"])
    }

    private func asOwner(_ command: [String]) async throws {
        try await Self.run(getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + command : command)
    }

    /// Runs `command`, waiting without holding a thread. Its output goes to a file, and it
    /// is spawned directly: `pg_ctl start` leaves a daemon behind that inherits the
    /// descriptors Foundation's `Process` watches for the child's end, and would keep it
    /// waiting forever.
    static func run(_ command: [String]) async throws {
        let outputPath = NSTemporaryDirectory() + "eventloom-cluster-\(UUID().uuidString).out"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot run \(command[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 { try await Task.sleep(for: .milliseconds(20)) }
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        guard exitCode == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw Failure(description: "\(command.joined(separator: " ")) failed (\(exitCode)): \(text)")
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }
}
