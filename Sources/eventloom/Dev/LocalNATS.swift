import Foundation

/// A private nats-server with JetStream on 127.0.0.1 for `eventloom dev`, its store kept
/// across runs; stopped when dev stops.
final class LocalNATS {
    let folder: String
    let port: Int
    private var process: Process?

    var url: String { "nats://127.0.0.1:\(port)" }

    init(folder: String, port: Int) {
        self.folder = folder
        self.port = port
    }

    func start() throws {
        guard !Shell.isListening(port: port) else {
            throw Shell.Failure(description: "port \(port) (NATS) is taken by another program: start with --nats-port N "
                                + "(or EVENTLOOM_DEV_NATS_PORT), or set EVENTLOOM_NATS_URL to use the server listening there")
        }
        guard let server = ["/usr/bin/nats-server", "/usr/sbin/nats-server", "/usr/local/bin/nats-server"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Shell.Failure(description: "nats-server is not installed: run scripts/setup (apt install nats-server)")
        }
        try FileManager.default.createDirectory(atPath: folder + "/jetstream", withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: server)
        process.arguments = ["-a", "127.0.0.1", "-p", "\(port)", "-js", "-sd", folder + "/jetstream",
                             "-l", folder + "/nats.log"]
        try process.run()
        self.process = process
        for _ in 0..<100 where !Shell.isListening(port: port) { usleep(100_000) }
        guard Shell.isListening(port: port) else {
            stop()
            throw Shell.Failure(description: "nats-server did not start: see \(folder)/nats.log")
        }
    }

    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
