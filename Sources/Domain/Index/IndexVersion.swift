import Foundation

/// One version of an index as its events left it.
public struct IndexVersion: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// Its ingestion tasks are running; it cannot serve.
        case building
        /// It passed the gate and may serve.
        case ready
        /// It will not serve again.
        case deprecated
        /// It left the search read model.
        case retired
    }

    public let number: Int
    public let spec: IndexVersionSpec
    /// The version whose sources it re-embeds, when it was created by a migration.
    public let migratedFrom: Int?
    public let createdAt: Date
    public var status: Status = .building
    public var readiness: IndexReadiness?
    /// Its latest offline evaluation.
    public var evaluation: IndexEvaluation?

    public init(number: Int, spec: IndexVersionSpec, migratedFrom: Int?, createdAt: Date) {
        self.number = number
        self.spec = spec
        self.migratedFrom = migratedFrom
        self.createdAt = createdAt
    }
}

/// The facts a version's readiness gate weighs: its ingestion tasks, the chunks they
/// committed, the vectors its index holds and the serving processes that loaded it.
public struct IndexReadiness: Sendable, Hashable {
    public var tasks: Int
    public var tasksSucceeded: Int
    public var chunks: Int
    public var vectors: Int
    /// The serving processes running (those that answer searches).
    public var servingProcesses: Int
    /// How many of them have every committed chunk of the version in their index.
    public var processesLoaded: Int

    public init(tasks: Int, tasksSucceeded: Int, chunks: Int, vectors: Int, servingProcesses: Int, processesLoaded: Int) {
        self.tasks = tasks
        self.tasksSucceeded = tasksSucceeded
        self.chunks = chunks
        self.vectors = vectors
        self.servingProcesses = servingProcesses
        self.processesLoaded = processesLoaded
    }

    /// Whether at least one serving process runs and every one has the version loaded.
    public var loaded: Bool { servingProcesses > 0 && processesLoaded >= servingProcesses }
}

/// An offline evaluation: queries with known relevant chunks, scored at `k`.
public struct IndexEvaluation: Sendable, Hashable {
    public var queries: Int
    public var k: Int
    public var recallAtK: Double
    public var mrr: Double
    public var by: String
    public var at: Date

    public init(queries: Int, k: Int, recallAtK: Double, mrr: Double, by: String, at: Date) {
        self.queries = queries
        self.k = k
        self.recallAtK = recallAtK
        self.mrr = mrr
        self.by = by
        self.at = at
    }
}
