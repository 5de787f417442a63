import Domain
import Foundation

extension EventStore {
    /// Checks every seal against the log (docs/seals.md): each one's number follows the
    /// last, its size grows, its signature holds under `key`, and the Merkle tree of the
    /// log's first `tree_size` events (their stored hashes, in cursor order, every tenant)
    /// has its root and ends at its `through` cursor. Successive seals whose roots both
    /// match the log are consistent (one tree extends the other). On the first failure it
    /// names the seal and, by the leaves the sealer stored, the first event that differs
    /// from what was sealed: changed, missing or out of order.
    /// - Throws: ``EventStoreError`` `unavailable`.
    public func verifySeals(with key: SealVerifyingKey, progress: (@Sendable (Int64) -> Void)? = nil) async throws -> SealReport {
        var report = SealReport()
        let seals = try await recordedSeals()
        var frontier = MerkleFrontier()
        var cursor = Cursor.start
        var previous: SealRecord?
        for seal in seals {
            if let failure = Self.checkHeader(seal, after: previous, key: key) {
                report.failure = failure
                return report
            }
            while frontier.size < seal.treeSize {
                let page = try await readLog(after: cursor, limit: min(5_000, Int(seal.treeSize - frontier.size)))
                guard !page.isEmpty else { break }
                for event in page { frontier.append(leaf: Merkle.leaf(event.hash)) }
                cursor = page.last?.cursor ?? cursor
                progress?(frontier.size)
            }
            if frontier.size < seal.treeSize || Hex.encode(frontier.root) != seal.rootHash || cursor.description != seal.through {
                report.failure = try await describeMismatch(seal, logSize: frontier.size, from: previous?.treeSize ?? 0)
                return report
            }
            report.seals += 1
            report.sealedEvents = seal.treeSize
            previous = seal
        }
        return report
    }

    /// Every `LogSealed` of the seal stream, in order.
    func recordedSeals() async throws -> [SealRecord] {
        var seals: [SealRecord] = []
        var from: Int64 = 1
        while true {
            let page = try await readStream(tenant: StoredSeal.tenant, stream: LogSeal.stream, from: from, limit: 1_000)
            for event in page {
                guard case .sealed(let seal) = try? event.decode(as: SealEvent.self) else {
                    throw EventStoreError(.internalError, "seal stream event \(event.streamVersion) is not a LogSealed")
                }
                seals.append(seal)
            }
            guard page.count == 1_000, let last = page.last else { return seals }
            from = last.streamVersion + 1
        }
    }

    /// Why `seal` is not a valid successor of `previous` under `key`; nil when it is.
    static func checkHeader(_ seal: SealRecord, after previous: SealRecord?, key: SealVerifyingKey) -> String? {
        let expected = (previous?.sequence ?? 0) + 1
        if seal.sequence != expected { return "seal \(seal.sequence): expected seal \(expected) next" }
        if seal.treeSize <= previous?.treeSize ?? 0 {
            return "seal \(seal.sequence): covers \(seal.treeSize) events, not more than seal \(expected - 1) (\(previous?.treeSize ?? 0))"
        }
        if seal.publicKey != key.hex || seal.keyID != key.id {
            return "seal \(seal.sequence): signed with key \(seal.keyID), not the expected key \(key.id)"
        }
        if !key.isValid(signature: seal.signature, for: seal.signedText) {
            return "seal \(seal.sequence): the signature does not verify"
        }
        return nil
    }

    /// The first leaf, from `start`, where the log no longer holds what `seal` covered.
    private func describeMismatch(_ seal: SealRecord, logSize: Int64, from start: Int64) async throws -> String {
        let head = "seal \(seal.sequence) (events \(start + 1)-\(seal.treeSize)) does not match the log"
        var index = start
        var cursor = try await cursorBefore(leaf: start)
        while index < seal.treeSize {
            let sealed = try await sealedLeaves(from: index, limit: 1_000)
            guard !sealed.isEmpty else { break }
            let logged = try await readLog(after: cursor, limit: sealed.count)
            for (offset, leaf) in sealed.enumerated() where leaf.index < seal.treeSize {
                guard offset < logged.count else {
                    return "\(head): event \(leaf.eventID.lowercaseString) (leaf \(leaf.index)) is missing from the log (it holds \(logSize) events)"
                }
                let event = logged[offset]
                if event.id != leaf.eventID {
                    return "\(head): leaf \(leaf.index) was event \(leaf.eventID.lowercaseString); the log has event \(event.id.lowercaseString) "
                        + "(\(event.stream) version \(event.streamVersion)) there: missing, inserted or reordered"
                }
                if event.hash != leaf.hash {
                    return "\(head): event \(event.id.lowercaseString) (\(event.stream) version \(event.streamVersion), leaf \(leaf.index)) "
                        + "has changed since it was sealed"
                }
            }
            cursor = logged.last?.cursor ?? cursor
            index = (sealed.last?.index ?? index) + 1
        }
        if logSize < seal.treeSize { return "\(head): the log holds \(logSize) of its \(seal.treeSize) events" }
        return "\(head): its root differs, and the sealer's own record of the leaves was altered too"
    }

    /// The cursor of leaf `leaf - 1` of the log (``Cursor/start`` for leaf 0).
    private func cursorBefore(leaf: Int64) async throws -> Cursor {
        var cursor = Cursor.start
        var remaining = leaf
        while remaining > 0 {
            let page = try await readLog(after: cursor, limit: Int(min(remaining, 5_000)))
            guard let last = page.last else { break }
            cursor = last.cursor
            remaining -= Int64(page.count)
        }
        return cursor
    }
}
