import Logging
import NIOCore
import NIOPosix

/// The processes that answer HTTP (`serve`, `dev`) run Swift's tasks on NIO's event loops
/// instead of Swift's own pool: a request then goes from its socket to its handler and back
/// without two thread hand-offs (docs/api.md, "Threads"). Work that blocks for long
/// (saving and loading the search read model, inserting vectors into a graph, password
/// hashing, the NATS client's calls) runs on threads of its own, never on an event loop.
enum TasksOnEventLoops {
    /// Installs NIO's event loops as Swift's global executor; once per process, before the
    /// services start. Where the runtime offers no hook, Swift's pool stays (and it says so).
    static func install(logger: Logger) {
        if NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() {
            logger.debug("Swift tasks run on NIO's event loops", metadata: ["threads": "\(NIOSingletons.groupLoopCountSuggestion)"])
        } else {
            logger.notice("Swift tasks stay on Swift's own pool: this runtime has no global executor hook")
        }
    }
}
