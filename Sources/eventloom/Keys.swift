import ArgumentParser
import EventStore
import Foundation

/// `eventloom keys …`: the master key that wraps the data subjects' keys.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage the master key that wraps the data subjects' keys (docs/erasure.md).",
        subcommands: [RotateMaster.self])

    struct RotateMaster: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-master",
            abstract: "Wrap every data subject's key again with the configured master key, in one transaction.",
            discussion: """
                Run it with the new key as EVENTLOOM_MASTER_KEY (or --master-key-file) and the old one in \
                EVENTLOOM_MASTER_KEY_PREVIOUS, after restarting every process that way. No event is rewritten. \
                Once it has run, the old key can be dropped from EVENTLOOM_MASTER_KEY_PREVIOUS.
                """)

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let logger = try options.logger("eventloom.keys")
            let keyring = try options.requiredKeyring()
            let count = try await withEventStore(options, logger: logger) { store in
                do {
                    return try await store.rotateMasterKey()
                } catch let error as EventStoreError where error.code == .internalError {
                    throw CommandFailure(error.message)
                }
            }
            print("\(count) subject keys wrapped again with master key \(keyring.master.id)")
        }
    }
}
