import ArgumentParser
import EventStore
import Foundation

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute every stream's hash chain and name the first broken event of each.",
        discussion: "Exit status 0 when every chain is intact, 1 when one is broken. "
            + "The hashed byte layout is in docs/hash-chain.md.")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Verify this tenant's streams only.")
    var tenant: String?

    func run() async throws {
        let logger = try options.logger("eventloom.verify")
        let tenant = self.tenant
        let report = try await withEventStore(options, logger: logger) { store in
            try await store.verify(tenant: tenant) { checked in
                FileHandle.standardError.write(Data("\rchecked \(checked) events".utf8))
            }
        }
        FileHandle.standardError.write(Data("\n".utf8))
        for broken in report.breaks {
            print("BROKEN \(broken)")
        }
        print("\(report.events) events in \(report.streams) streams: "
              + (report.isIntact ? "every chain intact" : "\(report.breaks.count) broken"))
        if !report.isIntact { throw ExitCode(1) }
    }
}
