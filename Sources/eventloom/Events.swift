import ArgumentParser
import EventStore
import Foundation

struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read or follow the log, or what the relay published to NATS, as JSON lines, one event per line with its cursor.",
        subcommands: [Read.self, Tail.self, Subscribe.self])
}

/// The options `read` and `tail` share: where to start and what to select.
struct LogSelection: ParsableArguments {
    @Option(help: "Start after this cursor (\"<tx>-<pos>\", as printed in each line's \"cursor\"); 0-0 is the start.")
    var after: String = "0-0"

    @Option(help: "Only this tenant's events.")
    var tenant: String?

    @Option(help: "Only streams of this category (the part of the stream id before its first '-').")
    var category: String?

    @Option(name: .customLong("type"), help: "Only events of this type; repeat for several.")
    var types: [String] = []

    func validate() throws {
        guard Cursor(after) != nil else {
            throw ValidationError("--after must be a cursor like 1234-56 (0-0 for the start of the log)")
        }
        if let tenant, !Identifiers.isValidTenant(tenant) {
            throw ValidationError("--tenant must be 1-64 characters of [A-Za-z0-9_-]")
        }
        if let category, !Identifiers.isValidCategory(category) {
            throw ValidationError("--category must be 1-64 characters of [A-Za-z0-9_]")
        }
        if let bad = types.first(where: { !Identifiers.isValidType($0) }) {
            throw ValidationError("--type \(bad) is not an event type ([A-Za-z][A-Za-z0-9_]*)")
        }
    }

    var cursor: Cursor { Cursor(after)! }
    var filter: LogFilter { LogFilter(tenant: tenant, category: category, types: types.isEmpty ? nil : types) }
}

extension Events {
    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the events after a cursor, then stop.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var selection: LogSelection

        @Option(help: "The most events to print (1-\(EventStore.maximumReadLimit)).")
        var limit: Int = 100

        func validate() throws {
            guard (1...EventStore.maximumReadLimit).contains(limit) else {
                throw ValidationError("--limit must be between 1 and \(EventStore.maximumReadLimit)")
            }
        }

        func run() async throws {
            let logger = try options.logger("eventloom.events")
            let (cursor, filter, limit) = (selection.cursor, selection.filter, self.limit)
            let events = try await withEventStore(options, logger: logger) { store in
                try await store.revealPersonalData(try await store.readLog(after: cursor, filter: filter, limit: limit))
            }
            for event in events { print(event.jsonLine) }
        }
    }

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the events after a cursor, then each new one as it commits, until interrupted.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var selection: LogSelection

        func run() async throws {
            let logger = try options.logger("eventloom.events")
            try await runUntilSignalled(options, logger: logger) { store in
                for try await stored in store.subscribe(after: selection.cursor, filter: selection.filter) {
                    for event in try await store.revealPersonalData([stored]) {
                        FileHandle.standardOutput.write(Data((event.jsonLine + "\n").utf8))
                    }
                }
            }
        }
    }
}
