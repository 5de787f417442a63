import ArgumentParser
import Foundation
import NATS

/// Where NATS is; falls back to EVENTLOOM_NATS_URL.
struct NATSOptions: ParsableArguments {
    static let defaultURL = "nats://127.0.0.1:54222"

    @Option(help: "NATS URL, nats://host:port. Env: EVENTLOOM_NATS_URL. Default: the nats-server of an `eventloom dev` running from this folder, else \(NATSOptions.defaultURL).")
    var natsURL: String?

    var resolvedURL: String {
        natsURL ?? ProcessInfo.processInfo.environment["EVENTLOOM_NATS_URL"] ?? DevEndpoints.running()?.natsURL ?? Self.defaultURL
    }

    func validate() throws {
        guard let url = URLComponents(string: resolvedURL), url.scheme == "nats", url.host?.isEmpty == false else {
            throw ValidationError("the NATS URL must look like nats://host:port, not \(resolvedURL)")
        }
    }

    func connectionOptions(name: String) -> NATSConnectionOptions {
        NATSConnectionOptions(url: resolvedURL, name: name)
    }
}
