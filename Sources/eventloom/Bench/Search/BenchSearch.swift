import ArgumentParser
import Foundation

struct BenchSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Vector search: recall@10 against exact search, queries/s over HTTP against hnswlib in-process, ingestion, restart, bytes per vector.",
        discussion: """
            --vectors seeded, clustered vectors of --dimension components (rounded to half precision, \
            as Eventloom stores them). (1) In this process, the same hnswlib index Eventloom builds \
            (M 16, ef_construction 200, ef_search --ef-search): its add rate, and the queries/s of --clients \
            tasks searching it for --seconds. (2) In a scratch database (dropped afterwards), \
            `eventloom serve` and `eventloom project` as child processes: --workers embedding workers \
            claim the tasks of one index version and upload the vectors (base64 float32) in parts of 1,000 over HTTP \
            (vectors/s acknowledged, and until the last is searchable); recall@10 of --queries \
            searches against exact search; wrk's --clients connections searching for --seconds, the \
            vectors in base64 and then as JSON numbers, each compared with the library's rate measured \
            again just before and just after it (the higher of the two); the time \
            from a restart to the first answered search; the bytes stored per vector beside the log \
            and in the search read model's folder, against the raw float32 size.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Vectors (1000-2000000).")
    var vectors = 200_000

    @Option(help: "Components of a vector (8-1024).")
    var dimension = 384

    @Option(help: "Queries whose recall@10 is measured against exact search (10-10000).")
    var queries = 200

    @Option(help: "Concurrent searchers, in-process and over HTTP (1-256).")
    var clients = 16

    @Option(help: "Seconds of each query-rate run (1-600).")
    var seconds = 10

    @Option(help: "The index's ef_search, in Eventloom's version and in the library's index (10-1000).")
    var efSearch = 96

    @Option(help: "Concurrent embedding workers uploading (1-64).")
    var workers = 4

    @Flag(help: "Keep the scratch database and the search folder instead of removing them.")
    var keep = false

    func validate() throws {
        guard (1_000...2_000_000).contains(vectors) else { throw ValidationError("--vectors must be 1000-2000000") }
        guard (8...1_024).contains(dimension) else { throw ValidationError("--dimension must be 8-1024") }
        guard (10...10_000).contains(queries) else { throw ValidationError("--queries must be 10-10000") }
        guard (1...256).contains(clients) else { throw ValidationError("--clients must be 1-256") }
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds must be 1-600") }
        guard (10...1_000).contains(efSearch) else { throw ValidationError("--ef-search must be 10-1000") }
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be 1-64") }
    }

    func run() async throws {
        let logger = try options.logger("eventloom.bench")
        print("bench search: \(vectors) vectors of \(dimension), ef_search \(efSearch), \(queries) queries, \(clients) clients for \(seconds) s, \(workers) workers")
        let data = SearchBenchData(count: vectors, dimension: dimension, queries: queries)
        print(String(format: "data:      generated in %.1f s (seeded, clustered, half precision)", data.generationSeconds))
        let baseline = SearchLibraryBaseline(data: data, clients: clients, seconds: seconds, efSearch: efSearch)
        let library = try await baseline.run()
        print(library.report)
        let scratch = try await ScratchDatabase.create(options, logger: logger)
        print("database \(scratch.name)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eventloom-bench-search-\(UUID().uuidString.prefix(8))")
        do {
            try await BenchSearchRun(bench: self, data: data, baseline: baseline, library: library, scratch: scratch, folder: folder, logger: logger).run()
        } catch {
            if !keep {
                try? await scratch.drop()
                try? FileManager.default.removeItem(at: folder)
            }
            throw error
        }
        if keep {
            print("kept database \(scratch.name) and \(folder.path)")
        } else {
            try await scratch.drop()
            try? FileManager.default.removeItem(at: folder)
        }
    }
}
