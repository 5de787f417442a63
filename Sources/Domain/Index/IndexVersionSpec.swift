/// What a version of an index is built with: the embedding model and its vectors' shape,
/// the graph's parameters, the chunker the workers follow, and the document refs it covers.
public struct IndexVersionSpec: Sendable, Hashable {
    public var embeddingModel: String
    public var dimension: Int
    public var metric: VectorMetric
    public var parameters: HNSWParameters
    public var chunker: ChunkerConfiguration
    public var sources: [IndexSource]

    public init(embeddingModel: String, dimension: Int, metric: VectorMetric, parameters: HNSWParameters = .init(),
                chunker: ChunkerConfiguration = .init(), sources: [IndexSource]) {
        self.embeddingModel = embeddingModel
        self.dimension = dimension
        self.metric = metric
        self.parameters = parameters
        self.chunker = chunker
        self.sources = sources
    }
}

/// How the embedding workers cut a document into chunks (their vocabulary: `lines`,
/// `tokens`, `paragraphs` …).
public struct ChunkerConfiguration: Sendable, Hashable {
    public var strategy: String
    public var size: Int
    public var overlap: Int

    public init(strategy: String = "lines", size: Int = 40, overlap: Int = 0) {
        self.strategy = strategy
        self.size = size
        self.overlap = overlap
    }
}

/// A document ref a version covers.
public struct IndexSource: Sendable, Hashable {
    public var documentID: String
    public var ref: String

    public init(documentID: String, ref: String) {
        self.documentID = documentID
        self.ref = ref
    }
}
