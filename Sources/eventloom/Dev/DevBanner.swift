import API
import Foundation

/// What `eventloom dev` prints once the API listens.
struct DevBanner: Sendable {
    let configuration: APIConfiguration
    let databaseURL: String
    let natsURL: String
    let folder: DevFolder
    /// The seals' public key (hex), when sealing is on.
    let sealPublicKey: String?

    func print() {
        let url = "http://\(configuration.host):\(configuration.port)"
        let text = """

            Eventloom is running.
              API        \(url)   (description: \(url)/openapi.yaml)
              admin key  \(configuration.adminKey ?? "-")
              try        curl -H 'Authorization: Bearer \(configuration.adminKey ?? "<key>")' \(url)/v1/projections
              database   \(databaseURL)
              nats       \(natsURL)  (stream EVENTLOOM)
              data       \(folder.path)
              seals      \(sealPublicKey.map { "public key \($0)" } ?? "off")
            Other eventloom commands started from this folder use this database and NATS
            (e.g. `swift run eventloom events tail`, `swift run eventloom verify --seals`).
            Ctrl-C stops everything.

            """
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
