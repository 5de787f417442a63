import Domain
import DomainTesting
import Foundation
import Testing

private typealias F = IndexFixtures

@Suite struct SearchIndexLifecycleTests {
    @Suite("an index never used") struct Unknown {
        @Test func createVersion_createsVersionOne() {
            SearchIndex.given()
                .when(.createVersion(index: "kb-main", spec: F.spec, migratingFrom: nil, by: "key:admin", now: indexT0))
                .then([F.created(1)])
        }

        @Test func activate_isUnknownIndex() {
            SearchIndex.given().when(.activate(version: 1, by: "key:admin", now: indexT0)).thenThrows(SearchIndexError.unknownIndex)
        }

        @Test(arguments: ["", "-leading-dash", "has space", "slash/name", String(repeating: "x", count: 101)])
        func createVersion_withABadName_isRefused(name: String) {
            SearchIndex.given()
                .when(.createVersion(index: name, spec: F.spec, migratingFrom: nil, by: "key:admin", now: indexT0))
                .thenThrows(matching: { if case SearchIndexError.invalid(field: "index", _) = $0 { true } else { false } })
        }

        @Test func createVersion_withBadSpecs_isRefused() {
            var specs: [(IndexVersionSpec, String)] = []
            var spec = F.spec
            spec.dimension = 0; specs.append((spec, "dimension"))
            spec = F.spec; spec.dimension = 4_097; specs.append((spec, "dimension"))
            spec = F.spec; spec.sources = []; specs.append((spec, "sources"))
            spec = F.spec; spec.sources = F.sources + F.sources; specs.append((spec, "sources"))
            spec = F.spec; spec.sources = F.sources + [IndexSource(documentID: F.sources[0].documentID, ref: "refs/tags/v1")]
            specs.append((spec, "sources"))
            spec = F.spec; spec.parameters.m = 1; specs.append((spec, "parameters.m"))
            spec = F.spec; spec.parameters.efSearch = 0; specs.append((spec, "parameters.ef_search"))
            spec = F.spec; spec.chunker.overlap = spec.chunker.size; specs.append((spec, "chunker.overlap"))
            spec = F.spec; spec.embeddingModel = " "; specs.append((spec, "embedding_model"))
            spec = F.spec; spec.sources = [IndexSource(documentID: "bad id", ref: "main")]; specs.append((spec, "sources.document_id"))
            for (spec, field) in specs {
                SearchIndex.given()
                    .when(.createVersion(index: "kb-main", spec: spec, migratingFrom: nil, by: "key:admin", now: indexT0))
                    .thenThrows(matching: { if case SearchIndexError.invalid(field: field, _) = $0 { true } else { false } })
            }
        }
    }

    @Suite("building") struct Building {
        @Test func createVersion_numbersTheNextVersion() {
            SearchIndex.given(F.created(1))
                .when(.createVersion(index: "kb-main", spec: F.spec, migratingFrom: nil, by: "key:admin", now: indexAt(5)))
                .then([F.created(2, at: 5)])
        }

        @Test func migration_takesTheSourcesOfItsOrigin() {
            var newModel = F.spec
            newModel.embeddingModel = "bge-small"
            newModel.sources = []
            var expected = F.spec
            expected.embeddingModel = "bge-small"
            SearchIndex.given(F.created(1), F.ready(1))
                .when(.createVersion(index: "kb-main", spec: newModel, migratingFrom: 1, by: "key:admin", now: indexAt(5)))
                .then([F.created(2, spec: expected, from: 1, at: 5)])
        }

        @Test func migration_fromAnUnknownVersion_isRefused() {
            SearchIndex.given(F.created(1))
                .when(.createVersion(index: "kb-main", spec: F.spec, migratingFrom: 7, by: "key:admin", now: indexAt(5)))
                .thenThrows(SearchIndexError.unknownVersion(7))
        }

        @Test func markReady_whenTheGatePasses_makesItReady() {
            SearchIndex.given(F.created(1))
                .when(.markReady(version: 1, readiness: F.readiness, now: indexAt(10)))
                .then([F.ready(1)])
        }

        @Test func markReady_withATaskNotSucceeded_isNotReady() {
            let readiness = IndexReadiness(tasks: 2, tasksSucceeded: 1, chunks: 120, vectors: 120, servingProcesses: 1, processesLoaded: 1)
            SearchIndex.given(F.created(1))
                .when(.markReady(version: 1, readiness: readiness, now: indexAt(10)))
                .thenThrows(SearchIndexError.notReady(version: 1, reason: "1 of 2 ingestion tasks succeeded"))
        }

        @Test func markReady_withVectorsShortOfChunks_isNotReady() {
            let readiness = IndexReadiness(tasks: 2, tasksSucceeded: 2, chunks: 120, vectors: 119, servingProcesses: 1, processesLoaded: 1)
            SearchIndex.given(F.created(1))
                .when(.markReady(version: 1, readiness: readiness, now: indexAt(10)))
                .thenThrows(SearchIndexError.notReady(version: 1, reason: "119 vectors for 120 chunks"))
        }

        @Test func markReady_notLoadedByTheServers_isNotReady() {
            let readiness = IndexReadiness(tasks: 2, tasksSucceeded: 2, chunks: 120, vectors: 120, servingProcesses: 2, processesLoaded: 1)
            SearchIndex.given(F.created(1))
                .when(.markReady(version: 1, readiness: readiness, now: indexAt(10)))
                .thenThrows(SearchIndexError.notReady(version: 1, reason: "1 of 2 serving processes have loaded it"))
        }

        @Test func markReady_withNoServingProcess_isNotReady() {
            let readiness = IndexReadiness(tasks: 2, tasksSucceeded: 2, chunks: 120, vectors: 120, servingProcesses: 0, processesLoaded: 0)
            SearchIndex.given(F.created(1))
                .when(.markReady(version: 1, readiness: readiness, now: indexAt(10)))
                .thenThrows(SearchIndexError.notReady(version: 1, reason: "no serving process runs"))
        }

        @Test func activate_beforeReady_isRefused() {
            SearchIndex.given(F.created(1))
                .when(.activate(version: 1, by: "key:admin", now: indexAt(10)))
                .thenThrows(SearchIndexError.wrongStatus(version: 1, status: .building))
        }

        @Test func shiftTraffic_toABuildingVersion_isRefused() {
            SearchIndex.given(F.twoVersions + [F.created(3, at: 50)])
                .when(.shiftTraffic(weights: [IndexWeight(version: 3, percent: 10), IndexWeight(version: 1, percent: 90)],
                                    by: "key:admin", now: indexAt(60)))
                .thenThrows(SearchIndexError.wrongStatus(version: 3, status: .building))
        }

        @Test func markReady_twice_changesNothing() {
            SearchIndex.given(F.created(1), F.ready(1))
                .when(.markReady(version: 1, readiness: F.readiness, now: indexAt(11)))
                .then([])
        }
    }

    @Suite("ready and serving") struct Serving {
        @Test func activate_servesTheVersionAtOnce() {
            SearchIndex.given(F.created(1), F.ready(1))
                .when(.activate(version: 1, by: "key:admin", now: indexAt(20)))
                .then([.versionActivated(version: 1, previous: nil, by: "key:admin", at: indexAt(20))])
        }

        @Test func activate_anotherVersion_namesThePrevious() {
            var state = SearchIndex.fold(F.twoVersions)
            let events = try? SearchIndex.decide(.activate(version: 2, by: "key:admin", now: indexAt(50)), state)
            #expect(events == [.versionActivated(version: 2, previous: 1, by: "key:admin", at: indexAt(50))])
            state = events!.reduce(state, SearchIndex.evolve)
            #expect(state.weights == [IndexWeight(version: 2, percent: 100)])
            #expect(state.stable == 2)
            #expect(state.versions[1]?.status == .ready)
        }

        @Test func shiftTraffic_byHand_ordersNewestFirstAndDropsZeros() {
            SearchIndex.given(F.twoVersions)
                .when(.shiftTraffic(weights: [IndexWeight(version: 1, percent: 70), IndexWeight(version: 2, percent: 30)],
                                    by: "key:admin", now: indexAt(50)))
                .then([.trafficShifted(weights: [IndexWeight(version: 2, percent: 30), IndexWeight(version: 1, percent: 70)],
                                       step: nil, by: "key:admin", at: indexAt(50))])
        }

        @Test(arguments: [[60, 30], [101, -1], [50, 50, 50]])
        func shiftTraffic_withWeightsNotSummingTo100_isRefused(percents: [Int]) {
            let weights = percents.enumerated().map { IndexWeight(version: $0.offset + 1, percent: $0.element) }
            SearchIndex.given(F.twoVersions)
                .when(.shiftTraffic(weights: weights, by: "key:admin", now: indexAt(50)))
                .thenThrows(matching: { if case SearchIndexError.invalid(field: "weights", _) = $0 { true } else { false } })
        }

        @Test func deprecate_aServingVersion_isRefused() {
            SearchIndex.given(F.twoVersions)
                .when(.deprecate(version: 1, reason: "old model", now: indexAt(50)))
                .thenThrows(SearchIndexError.serving(version: 1))
        }

        @Test func deprecateThenRetire_anIdleVersion() {
            SearchIndex.given(F.twoVersions)
                .when(.deprecate(version: 2, reason: "bad chunks", now: indexAt(50)))
                .then([.versionDeprecated(version: 2, reason: "bad chunks", at: indexAt(50))])
            SearchIndex.given(F.twoVersions + [.versionDeprecated(version: 2, reason: "bad chunks", at: indexAt(50))])
                .when(.retire(version: 2, by: "key:admin", now: indexAt(60)))
                .then([.versionRetired(version: 2, by: "key:admin", at: indexAt(60))])
        }

        @Test func retire_withoutDeprecating_isRefused() {
            SearchIndex.given(F.twoVersions)
                .when(.retire(version: 2, by: "key:admin", now: indexAt(60)))
                .thenThrows(SearchIndexError.wrongStatus(version: 2, status: .ready))
        }

        @Test func activate_aDeprecatedVersion_isRefused() {
            SearchIndex.given(F.twoVersions + [.versionDeprecated(version: 2, reason: "bad chunks", at: indexAt(50))])
                .when(.activate(version: 2, by: "key:admin", now: indexAt(60)))
                .thenThrows(SearchIndexError.wrongStatus(version: 2, status: .deprecated))
        }

        @Test func unknownVersion_isRefused() {
            SearchIndex.given(F.twoVersions)
                .when(.activate(version: 9, by: "key:admin", now: indexAt(60)))
                .thenThrows(SearchIndexError.unknownVersion(9))
        }
    }
}
