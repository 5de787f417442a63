import ArgumentParser
import EventStore
import Foundation
import Logging
import PostgresNIO

/// Where the seal signing key comes from, and how often the log is sealed (docs/seals.md).
struct SealOptions: ParsableArguments {
    @Option(help: "A file holding the Ed25519 seal key (32 bytes in base64); else EVENTLOOM_SEAL_KEY. Without one, nothing is sealed.")
    var sealKeyFile: String?

    @Option(help: "Seal once this many events wait (1-1000000).")
    var sealEvery = 1_000

    @Option(help: "Seal at least this often, in seconds, while events wait (1-3600).")
    var sealInterval = 10

    func validate() throws {
        guard (1...1_000_000).contains(sealEvery) else { throw ValidationError("--seal-every must be 1-1000000") }
        guard (1...3_600).contains(sealInterval) else { throw ValidationError("--seal-interval must be 1-3600") }
    }

    /// The configured signing key; nil when none is.
    /// - Throws: `ValidationError` for a key that is not one, or an unreadable file.
    func signingKey() throws -> SealSigningKey? {
        let text: String?
        if let sealKeyFile {
            do {
                text = try String(contentsOfFile: sealKeyFile, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read the seal key file \(sealKeyFile): \(error.localizedDescription)")
            }
        } else {
            text = ProcessInfo.processInfo.environment["EVENTLOOM_SEAL_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let text else { return nil }
        do {
            return try SealSigningKey(base64: text)
        } catch {
            throw ValidationError("\(sealKeyFile.map { "--seal-key-file \($0)" } ?? "EVENTLOOM_SEAL_KEY"): \(error)")
        }
    }

    /// The sealer, when a key is configured; logs that sealing is off otherwise.
    func sealer(store: EventStore, lockConnection: PostgresConnection.Configuration, logger: Logger) throws -> Sealer? {
        guard let key = try signingKey() else {
            logger.notice("seals are off: no seal key (EVENTLOOM_SEAL_KEY or --seal-key-file); see docs/seals.md")
            return nil
        }
        logger.info("sealing the log", metadata: ["key_id": "\(key.verifyingKey.id)", "every": "\(sealEvery)",
                                                   "interval_s": "\(sealInterval)"])
        return Sealer(store: store, key: key, every: sealEvery, interval: .seconds(sealInterval),
                      lockConnection: lockConnection, logger: logger)
    }
}
