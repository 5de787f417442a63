import Domain
import EventStore
import Foundation
import Hummingbird

/// Proofs over the log's seals (docs/seals.md): `GET /v1/events/{id}/proof` (an event's
/// inclusion in a seal) and `GET /v1/seals/{a}/consistency/{b}` (seal b's tree extends
/// seal a's), each with the signed seals a verifier needs (scripts/verify-seals.py).
struct SealsController {
    let store: EventStore

    struct SealView: Encodable {
        let sequence: Int64
        let treeSize: Int64
        let rootHash: String
        let through: String
        let sealedAt: String
        let keyId: String
        let publicKey: String
        let signature: String

        init(_ seal: SealRecord) {
            sequence = seal.sequence
            treeSize = seal.treeSize
            rootHash = seal.rootHash
            through = seal.through
            sealedAt = APITime.text(seal.sealedAt)
            keyId = seal.keyID
            publicKey = seal.publicKey
            signature = seal.signature
        }
    }

    struct InclusionView: ResponseEncodable {
        let eventId: String
        let eventHash: String
        let leafIndex: Int64
        let seal: SealView
        let inclusionPath: [String]
    }

    struct ConsistencyView: ResponseEncodable {
        let first: SealView
        let second: SealView
        let consistencyPath: [String]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/v1/events/:id/proof") { request, context in try await inclusion(request, context) }
        router.get("/v1/seals/:a/consistency/:b") { request, context in try await consistency(request, context) }
    }

    /// 404 for an event of another tenant, an unknown one, or one not sealed yet (or not by seal `seal`).
    private func inclusion(_ request: Request, _ context: AppRequestContext) async throws -> InclusionView {
        let caller = try context.requireCaller()
        try caller.require(.reader, .auditor, .admin)
        try caller.requireTenantWide()
        let text = try PathInput(context: context).string("id")
        guard let id = UUID(uuidString: text) else { throw APIError.notFound("no event \(text)") }
        let requested = try QueryInput(request: request).int("seal", in: 1...Int(Int64.max)).map(Int64.init)
        guard let leaf = try await store.sealedLeaf(of: id, tenant: caller.tenant) else {
            throw APIError(.notFound, "not-sealed", "Not sealed",
                           detail: "no event \(text) is sealed yet (an event is sealed within the seal interval of its commit)")
        }
        guard let seal = try await store.storedSeal(sequence: requested, coveringLeaf: leaf.index) else {
            throw APIError.notFound("seal \(requested.map(String.init) ?? "?") does not cover event \(text)")
        }
        let path = try await store.sealProver.inclusionPath(index: leaf.index, size: seal.record.treeSize)
        return InclusionView(eventId: id.uuidString.lowercased(), eventHash: Hex.encode(leaf.eventHash), leafIndex: leaf.index,
                             seal: SealView(seal.record), inclusionPath: path.map(Hex.encode))
    }

    /// 400 when a or b is not a seal number or a > b; 404 for a seal that does not exist.
    private func consistency(_ request: Request, _ context: AppRequestContext) async throws -> ConsistencyView {
        let caller = try context.requireCaller()
        try caller.require(.reader, .auditor, .admin)
        let path = PathInput(context: context)
        guard let a = Int64(try path.string("a")), a >= 1 else { throw APIError.invalid("a", "must be a seal number (1, 2, ...)") }
        guard let b = Int64(try path.string("b")), b >= 1 else { throw APIError.invalid("b", "must be a seal number (1, 2, ...)") }
        guard a <= b else { throw APIError.invalid("a", "must not be after b") }
        guard let first = try await store.storedSeal(sequence: a) else { throw APIError.notFound("no seal \(a)") }
        guard let second = try await store.storedSeal(sequence: b) else { throw APIError.notFound("no seal \(b)") }
        let proof = try await store.sealProver.consistencyProof(oldSize: first.record.treeSize, newSize: second.record.treeSize)
        return ConsistencyView(first: SealView(first.record), second: SealView(second.record), consistencyPath: proof.map(Hex.encode))
    }
}
