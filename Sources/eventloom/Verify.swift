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

    @Flag(help: "Also check every seal: its signature, that the log's events in cursor order still hash to its root, and that each seal extends the last (docs/seals.md).")
    var seals = false

    @Option(help: "The seals' Ed25519 public key, hex (else the one of EVENTLOOM_SEAL_KEY or --seal-key-file).")
    var sealPublicKey: String?

    @Option(help: "A file holding the seal key (32 bytes in base64); its public key checks the seals.")
    var sealKeyFile: String?

    func validate() throws {
        if seals, tenant != nil { throw ValidationError("--seals covers every tenant: leave out --tenant") }
    }

    /// The key that checks the seals.
    private func verifyingKey() throws -> SealVerifyingKey {
        if let sealPublicKey {
            do { return try SealVerifyingKey(hex: sealPublicKey) } catch { throw ValidationError("--seal-public-key: \(error)") }
        }
        var sealOptions = SealOptions()
        sealOptions.sealKeyFile = sealKeyFile
        // Beside a running `eventloom dev` (and no database configured): its seal key.
        if sealKeyFile == nil, (ProcessInfo.processInfo.environment["EVENTLOOM_SEAL_KEY"] ?? "").isEmpty,
           options.databaseURL == nil, ProcessInfo.processInfo.environment["EVENTLOOM_DATABASE_URL"] == nil,
           DevEndpoints.running() != nil {
            let file = DevFolder.resolve(nil).sub("seal-key")
            if FileManager.default.fileExists(atPath: file) { sealOptions.sealKeyFile = file }
        }
        guard let key = try sealOptions.signingKey() else {
            throw ValidationError("--seals needs the seals' public key: --seal-public-key, EVENTLOOM_SEAL_KEY or --seal-key-file")
        }
        return key.verifyingKey
    }

    func run() async throws {
        let logger = try options.logger("eventloom.verify")
        let tenant = self.tenant
        let sealKey = seals ? try verifyingKey() : nil
        let (report, sealReport) = try await withEventStore(options, logger: logger) { store in
            let report = try await store.verify(tenant: tenant) { checked in
                FileHandle.standardError.write(Data("\rchecked \(checked) events".utf8))
            }
            guard let sealKey else { return (report, nil as SealReport?) }
            let sealReport = try await store.verifySeals(with: sealKey) { sealed in
                FileHandle.standardError.write(Data("\rchecked \(sealed) sealed events".utf8))
            }
            return (report, sealReport)
        }
        FileHandle.standardError.write(Data("\n".utf8))
        for broken in report.breaks {
            print("BROKEN \(broken)")
        }
        print("\(report.events) events in \(report.streams) streams: "
              + (report.isIntact ? "every chain intact" : "\(report.breaks.count) broken"))
        if let sealReport {
            if let failure = sealReport.failure { print("BROKEN \(failure)") }
            print("\(sealReport.seals) seals covering \(sealReport.sealedEvents) events: "
                  + (sealReport.isIntact ? "every seal holds" : "a seal is broken"))
        }
        if !report.isIntact || sealReport?.isIntact == false { throw ExitCode(1) }
    }
}
