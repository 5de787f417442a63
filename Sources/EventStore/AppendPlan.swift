import Foundation

/// A validated append, flattened into the arrays ``AppendStatement`` takes.
///
/// Streams are sorted by id, so concurrent multi-stream appends insert their rows in one
/// order and wait on each other's new versions instead of deadlocking. Built without IO;
/// every rule on sizes and identifiers is checked here, before anything is sent.
struct AppendPlan: Sendable {
    let tenant: String
    let streams: [String]
    let categories: [String]
    let expected: [Int64]
    let counts: [Int32]
    let eventIDs: [UUID]
    let eventStreams: [String]
    let types: [String]
    let schemaVersions: [Int32]
    let data: [String]
    let metadata: [String]
    /// The position of each event of the caller's request in the arrays above.
    let requestOrder: [Int]

    init(tenant: String, appends: [StreamAppend], limits: AppendLimits = AppendLimits()) throws {
        try Self.validate(tenant: tenant, appends: appends, limits: limits)
        let sorted = appends.enumerated().sorted { $0.element.stream < $1.element.stream }
        let firstIndexOfRequest = Self.requestOffsets(appends)
        var eventIDs: [UUID] = [], eventStreams: [String] = [], types: [String] = []
        var schemaVersions: [Int32] = [], data: [String] = [], metadata: [String] = []
        var requestOrder = [Int](repeating: 0, count: firstIndexOfRequest.last ?? 0)
        var encodedMetadata: [EventMetadata: String] = [:]
        for (requestIndex, append) in sorted {
            for (offset, event) in append.events.enumerated() {
                requestOrder[firstIndexOfRequest[requestIndex] + offset] = eventIDs.count
                eventIDs.append(event.id)
                eventStreams.append(append.stream)
                types.append(event.type)
                schemaVersions.append(Int32(event.schemaVersion))
                data.append(event.data)
                if encodedMetadata[event.metadata] == nil {
                    encodedMetadata[event.metadata] = event.metadata.json
                }
                metadata.append(encodedMetadata[event.metadata]!)
            }
        }
        self.tenant = tenant
        self.streams = sorted.map(\.element.stream)
        self.categories = streams.map(Identifiers.category(of:))
        self.expected = sorted.map(\.element.expected.sqlValue)
        self.counts = sorted.map { Int32($0.element.events.count) }
        self.eventIDs = eventIDs
        self.eventStreams = eventStreams
        self.types = types
        self.schemaVersions = schemaVersions
        self.data = data
        self.metadata = metadata
        self.requestOrder = requestOrder
    }

    /// `offsets[i]`: index of append i's first event in the request; last: total count.
    private static func requestOffsets(_ appends: [StreamAppend]) -> [Int] {
        appends.reduce(into: [0]) { $0.append($0.last! + $1.events.count) }
    }
}
