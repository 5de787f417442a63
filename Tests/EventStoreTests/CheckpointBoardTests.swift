@testable import EventStore
import EventStoreTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@Suite struct CheckpointBoardTests {
    @Test func aPayload_namesEachMove_andReadsBack() throws {
        let moves = ["sessions": Cursor(transaction: 981, position: 17), "audit": Cursor(transaction: 980, position: 12)]
        let payload = CheckpointBoard.payload(moves)
        #expect(payload == "checkpoint audit 980-12 sessions 981-17")
        let read = try #require(CheckpointBoard.moves(in: payload))
        #expect(Dictionary(uniqueKeysWithValues: read.map { ($0.name, $0.cursor) }) == moves)
    }

    @Test func aPayloadThatIsNotACheckpoint_isNil_andPairsThatDoNotParse_areLeftOut() throws {
        #expect(CheckpointBoard.moves(in: "") == nil)
        #expect(CheckpointBoard.moves(in: "checkpoints audit 1-1") == nil)
        #expect(try #require(CheckpointBoard.moves(in: "checkpoint")).isEmpty)
        let read = try #require(CheckpointBoard.moves(in: "checkpoint audit 1-x keys 2-3 dangling"))
        #expect(read.map(\.name) == ["keys"] && read.map(\.cursor) == [Cursor(transaction: 2, position: 3)])
    }

    @Test func theBoard_keepsTheLatestAnnouncement_andAtMostItsBoundOfNames() {
        let board = CheckpointBoard()
        board.record("audit", at: Cursor(transaction: 5, position: 9))
        board.record("audit", at: Cursor(transaction: 4, position: 2))   // a rebuild swapped in a lower one
        #expect(board.cursor(of: "audit") == Cursor(transaction: 4, position: 2))
        for n in 0..<(CheckpointBoard.maximumNames + 10) { board.record("p\(n)", at: .start) }
        #expect(board.cursor(of: "p\(CheckpointBoard.maximumNames + 5)") == nil)
        board.record("audit", at: Cursor(transaction: 6, position: 1))   // a known name still moves
        #expect(board.cursor(of: "audit") == Cursor(transaction: 6, position: 1))
    }

    /// Another process's waiters learn the cursor from the NOTIFY itself, with no query.
    @Test func aMoveAnnouncedByOneStore_reachesAnotherStoresBoard() async throws {
        try await TestDatabase.withDatabase { store, url in
            try await TestDatabase.withClient(try DatabaseURL.configuration(url)) { client in
                let other = EventStore(client: client, logger: Logger(label: "test.other"))
                try await TestDatabase.withServices(of: other) { other in
                    let moves = other.checkpointMoves()
                    let cursor = Cursor(transaction: 42, position: 7)
                    let deadline = ContinuousClock.now + .seconds(10)
                    // The listener may not be listening yet: announce until it hears one.
                    while other.announcedCheckpoint(of: "audit") != cursor, ContinuousClock.now < deadline {
                        store.didMoveCheckpoint("audit", to: cursor)
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    #expect(other.announcedCheckpoint(of: "audit") == cursor)
                    var iterator = moves.makeAsyncIterator()
                    #expect(await iterator.next() != nil)
                    #expect(store.announcedCheckpoint(of: "audit") == cursor)
                }
            }
        }
    }
}
