import ArgumentParser
import EventStore
import Foundation
import Logging

extension GlobalOptions {
    /// The keyring of the master key configured: `--master-key-file`, else
    /// `EVENTLOOM_MASTER_KEY`, else the key of an `eventloom dev` running from this folder
    /// (whose database the command then uses too); with the keys of `EVENTLOOM_MASTER_KEY_PREVIOUS` (comma
    /// separated) still accepted for unwrapping while a rotation runs. Nil when none is set.
    /// - Throws: `ValidationError` for a key that is not 32 bytes of base64, or an unreadable file.
    func keyring() throws -> SubjectKeyring? {
        let environment = ProcessInfo.processInfo.environment
        let text: String?
        if let masterKeyFile {
            do {
                text = try String(contentsOfFile: masterKeyFile, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read the master key file \(masterKeyFile): \(error.localizedDescription)")
            }
        } else if let key = environment["EVENTLOOM_MASTER_KEY"], !key.isEmpty {
            text = key
        } else if databaseURL == nil, environment["EVENTLOOM_DATABASE_URL"] == nil, DevEndpoints.running() != nil {
            text = try? String(contentsOfFile: DevFolder.resolve(nil).sub("master-key"), encoding: .utf8)
        } else {
            text = nil
        }
        guard let text else { return nil }
        let previous = (environment["EVENTLOOM_MASTER_KEY_PREVIOUS"] ?? "").split(separator: ",")
        do {
            return SubjectKeyring(master: try MasterKey(base64: text),
                                  previous: try previous.map { try MasterKey(base64: String($0)) })
        } catch let error as MasterKeyError {
            throw ValidationError("\(masterKeyFile.map { "--master-key-file \($0)" } ?? "EVENTLOOM_MASTER_KEY"): \(error)")
        }
    }

    /// ``keyring()``, which processes that read or write personal data cannot do without.
    func requiredKeyring() throws -> SubjectKeyring {
        guard let keyring = try keyring() else {
            throw ValidationError("""
                no master key: set EVENTLOOM_MASTER_KEY (32 bytes in base64, e.g. from `openssl rand -base64 32`) \
                or --master-key-file; it encrypts personal data (docs/erasure.md)
                """)
        }
        return keyring
    }
}

/// Stops a process whose master key cannot open the subject keys already stored.
func checkMasterKeys(_ options: GlobalOptions, logger: Logger) async throws {
    try await withEventStore(options, logger: logger) { store in
        do {
            try await store.checkMasterKeys()
        } catch let error as EventStoreError where error.code == .internalError {
            throw CommandFailure(error.message)
        }
    }
}
