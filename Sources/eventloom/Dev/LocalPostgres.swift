import Foundation

/// A private PostgreSQL cluster on 127.0.0.1 for `eventloom dev`, created on first use and
/// reused afterwards; stopped again if this process started it.
struct LocalPostgres {
    let folder: String
    let port: Int
    private(set) var startedHere = false

    var url: String { "postgres://eventloom@127.0.0.1:\(port)/eventloom" }
    private var data: String { folder + "/data" }
    private var socketDirectory: String { folder + "/sock" }

    init(folder: String, port: Int) {
        self.folder = folder
        self.port = port
    }

    private static func binaries() throws -> String {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let newest = versions.compactMap(Int.init).max() else {
            throw Shell.Failure(description: "PostgreSQL is not installed: run scripts/setup (apt install postgresql)")
        }
        return "/usr/lib/postgresql/\(newest)/bin"
    }

    mutating func start() throws {
        let bin = try Self.binaries()
        try FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
        chmod(URL(fileURLWithPath: folder).deletingLastPathComponent().path, 0o755)
        chmod(folder, 0o755)
        if getuid() == 0 { try Shell.run(["/usr/bin/chown", "-R", "postgres", folder]) }
        if !FileManager.default.fileExists(atPath: data + "/PG_VERSION") {
            try Shell.run([bin + "/initdb", "-D", data, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
                           "--auth-local=trust", "--auth-host=trust"], asPostgres: true)
            let settings = """

                listen_addresses = '127.0.0.1'
                port = \(port)
                unix_socket_directories = '\(socketDirectory)'
                max_connections = 200
                shared_buffers = 256MB

                """
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: data + "/postgresql.conf"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(settings.utf8))
            try handle.close()
        }
        if (try? Shell.run([bin + "/pg_ctl", "-D", data, "status"], asPostgres: true)) == nil {
            guard !Shell.isListening(port: port) else {
                throw Shell.Failure(description: "port \(port) (PostgreSQL) is taken by another program: start with "
                                    + "--postgres-port N (or EVENTLOOM_DEV_POSTGRES_PORT), or set EVENTLOOM_DATABASE_URL to use it")
            }
            do {
                // The port given now wins over the one the cluster was created with.
                try Shell.run([bin + "/pg_ctl", "-D", data, "-l", folder + "/postgres.log", "-o", "-p \(port)",
                               "-w", "-t", "60", "start"], asPostgres: true)
            } catch {
                throw Shell.Failure(description: "PostgreSQL did not start on port \(port): see \(folder)/postgres.log")
            }
            startedHere = true
        }
        let psql = [bin + "/psql", "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-qAt", "-d", "postgres", "-c"]
        if try Shell.run(psql + ["SELECT 1 FROM pg_roles WHERE rolname = 'eventloom'"]).isEmpty {
            try Shell.run(psql + ["CREATE ROLE eventloom LOGIN CREATEDB"])
        }
        if try Shell.run(psql + ["SELECT 1 FROM pg_database WHERE datname = 'eventloom'"]).isEmpty {
            try Shell.run(psql + ["CREATE DATABASE eventloom OWNER eventloom"])
        }
    }

    func stop() {
        guard startedHere, let bin = try? Self.binaries() else { return }
        _ = try? Shell.run([bin + "/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], asPostgres: true)
    }
}
