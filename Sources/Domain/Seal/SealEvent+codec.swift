import Foundation
import Schemas
import SwiftProtobuf

extension SealEvent: EventFamily {
    /// Every type the seal stream holds, each with its schema (one place for both).
    public enum Kind: String, EventKind {
        case sealed = "LogSealed"

        public var message: any SwiftProtobuf.Message.Type { Eventloom_V1_LogSealed.self }

        /// Hashes, sizes, cursors and a signature: nothing personal.
        public var personalFields: PersonalFields { .none }
    }

    public var kind: Kind { .sealed }

    public func jsonData() throws -> String {
        switch self {
        case .sealed(let seal):
            try kind.encode(Eventloom_V1_LogSealed.with {
                $0.sequence = seal.sequence
                $0.treeSize = seal.treeSize
                $0.rootHash = seal.rootHash
                $0.through = seal.through
                $0.sealedAt = Google_Protobuf_Timestamp(date: seal.sealedAt)
                $0.keyID = seal.keyID
                $0.publicKey = seal.publicKey
                $0.signature = seal.signature
            })
        }
    }

    public init(type: String, schemaVersion: Int, json: String) throws {
        switch try Kind.named(type, schemaVersion: schemaVersion) {
        case .sealed:
            let m = try Kind.sealed.decode(Eventloom_V1_LogSealed.self, from: json)
            self = .sealed(SealRecord(sequence: m.sequence, treeSize: m.treeSize, rootHash: m.rootHash, through: m.through,
                                      sealedAt: m.sealedAt.date, keyID: m.keyID, publicKey: m.publicKey, signature: m.signature))
        }
    }
}
