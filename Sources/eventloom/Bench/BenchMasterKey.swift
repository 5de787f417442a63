import EventStore
import Foundation

/// The master key of a benchmark run: the configured one (`EVENTLOOM_MASTER_KEY`), else
/// one made for the run (its scratch databases are dropped afterwards). The run's stores
/// and its child processes (`serve`, `project`) share it.
enum BenchMasterKey {
    static let text: String = {
        if let text = ProcessInfo.processInfo.environment["EVENTLOOM_MASTER_KEY"], (try? MasterKey(base64: text)) != nil {
            return text
        }
        return MasterKey.generateText()
    }()

    /// A keyring of its own for one store.
    static var keyring: SubjectKeyring {
        // `text` is a valid key: checked or generated above.
        SubjectKeyring(master: try! MasterKey(base64: text))
    }
}
