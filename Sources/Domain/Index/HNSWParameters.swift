/// The build and search parameters of an HNSW graph (hnswlib's names).
public struct HNSWParameters: Sendable, Hashable {
    /// Links per node and layer (`M`).
    public var m: Int
    /// Candidates kept while inserting (`efConstruction`).
    public var efConstruction: Int
    /// Candidates kept while searching (`ef`; at least k is used).
    public var efSearch: Int
    /// Seed of the level generator: equal inputs in equal order build equal graphs.
    public var seed: Int

    public init(m: Int = 16, efConstruction: Int = 200, efSearch: Int = 64, seed: Int = 100) {
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
        self.seed = seed
    }
}
