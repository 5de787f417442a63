import Domain
import EventStore
import Logging
import PostgresNIO
import Projections
import Testing

/// A read model that subscribes to one type an aggregate defines and one nobody does.
private struct MisspelledProjection: Projection {
    let name = "misspelled"
    let version = 1
    let eventTypes: Set<String>? = [KeyEvent.Kind.issued.name, "KeyIsued"]

    func createTables(on connection: PostgresConnection, logger: Logger) async throws {}
    func createIndexes(on connection: PostgresConnection, logger: Logger) async throws {}
    func erase(subject: String, tenant: String, on connection: PostgresConnection, logger: Logger) async throws {}

    func apply(_ events: [RecordedEvent], on connection: PostgresConnection, logger: Logger) async throws {}
}

@Suite struct ProjectionRegistryTests {
    @Test func everyShippedProjectionSubscribesOnlyToRegisteredTypes() throws {
        for projection in ProjectionRegistry.all {
            #expect(projection.unknownEventTypes == [], "\(projection.name)")
            try projection.validate()
        }
        #expect(try ProjectionRegistry.select(nil).count == ProjectionRegistry.all.count)
    }

    @Test func aProjectionListingATypeNoAggregateDefinesIsRefused() {
        let projection = MisspelledProjection()
        #expect(projection.unknownEventTypes == ["KeyIsued"])
        #expect(throws: ProjectionError.unknownEventTypes(projection: "misspelled", types: ["KeyIsued"])) {
            try projection.validate()
        }
    }

    @Test func eachReadModelFollowsWholeFamilies() {
        let byName = Dictionary(uniqueKeysWithValues: ProjectionRegistry.all.map { ($0.name, $0.eventTypes) })
        #expect(byName["keys"] == KeyEvent.typeNames)
        #expect(byName["quotas"] == BudgetEvent.typeNames.union(ReservationEvent.typeNames))
        #expect(byName["sessions"] == SessionEvent.typeNames.union(ShareViewed.typeNames))
        #expect(byName["audit"] == .some(nil))
    }
}
