import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Eventloom against PostgreSQL's own limits, in the same run.",
        subcommands: [BenchAppend.self, BenchRelay.self, BenchAPI.self, BenchQuotas.self, BenchSessions.self, BenchErasure.self, BenchSeal.self,
                      BenchLocks.self, BenchDocuments.self, BenchSearch.self, BenchRouting.self])
}
