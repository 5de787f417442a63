import ArgumentParser
import EventStore
import Foundation
import Logging

struct BenchSeal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Sealing throughput (events sealed per second) against the append rate measured in the same run.",
        discussion: """
            In a scratch database (dropped afterwards): appends --events events with --writers writers, \
            one event per append (the rate printed is the append rate), then runs a sealer from the \
            log's start (a seal every --seal-every events, as `project` does) and times it until a seal \
            covers every event. Then checks every seal against the log, as `verify --seals` does.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Events to append, then seal (1000-10000000).")
    var events = 100_000

    @Option(help: "Concurrent writers of the append run (1-256).")
    var writers = 16

    @Option(help: "Seal once this many events wait.")
    var sealEvery = 1_000

    @Flag(help: "Keep the scratch database instead of dropping it.")
    var keep = false

    func validate() throws {
        guard (1_000...10_000_000).contains(events) else { throw ValidationError("--events must be 1000-10000000") }
        guard (1...256).contains(writers) else { throw ValidationError("--writers must be 1-256") }
        guard (1...1_000_000).contains(sealEvery) else { throw ValidationError("--seal-every must be 1-1000000") }
    }

    func run() async throws {
        let logger = try options.logger("eventloom.bench")
        let scratch = try await ScratchDatabase.create(options, logger: logger)
        print("bench seal: \(events) events, \(writers) writers, a seal every \(sealEvery) events, database \(scratch.name)")
        do {
            let appended = try await AppendLoad(writers: writers, events: events, batch: 1).run(on: scratch, logger: logger)
            print("append:    \(appended.report)")
            try await seal(scratch, appendRate: appended.eventsPerSecond, logger: logger)
        } catch {
            if !keep { try? await scratch.drop() }
            throw error
        }
        if keep { print("kept database \(scratch.name)") } else { try await scratch.drop() }
    }

    private func seal(_ scratch: ScratchDatabase, appendRate: Double, logger: Logger) async throws {
        let key = try SealSigningKey(base64: SealSigningKey.generateText())
        let lockConnection = try DatabaseURL.connectionConfiguration(scratch.libpqURL)
        let (every, quiet) = (sealEvery, Logger(label: "eventloom.bench.sealer", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await scratch.withClient { client in
            // What autovacuum does within a minute or so of a bulk load, done now.
            _ = try await client.query("ANALYZE events", logger: logger)
            let store = EventStore(client: client, logger: logger)
            let head = try await store.readableHead()
            let sealer = Sealer(store: store, key: key, every: every, interval: .seconds(1), lockConnection: lockConnection, logger: quiet)
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await store.notifier.run() }
                group.addTask { await store.listener.run() }
                group.addTask { try await sealer.run() }
                defer { group.cancelAll() }
                while (try await store.lastStoredSeal()?.through ?? .start) < head {
                    guard start.duration(to: .now) < .seconds(3_600) else { throw CommandFailure("not sealed within an hour") }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            let elapsed = start.duration(to: .now)
            guard let sealed = try await store.lastStoredSeal() else { throw CommandFailure("no seal stored") }
            let rate = Double(sealed.record.treeSize) / elapsed.seconds
            print(String(format: "seal:      %d events in %d seals in %.2f s: %.0f events sealed/s", sealed.record.treeSize,
                         sealed.record.sequence, elapsed.seconds, rate))
            print(String(format: "ratio:     %.2f× the append rate (goal: at least 1×)", rate / appendRate))
            let checked = ContinuousClock.now
            let report = try await store.verifySeals(with: key.verifyingKey)
            guard report.isIntact else { throw CommandFailure("the seals do not hold: \(report.failure ?? "")") }
            print(String(format: "verify:    %d seals over %d events hold, checked in %.2f s", report.seals, report.sealedEvents,
                         checked.duration(to: .now).seconds))
        }
    }
}
