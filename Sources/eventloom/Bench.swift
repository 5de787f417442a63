import ArgumentParser

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Eventloom against the database's own limits.",
        subcommands: [])
}
