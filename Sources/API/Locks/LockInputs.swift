import Crypto
import Domain
import EventStore
import Foundation

/// The body of `POST /v1/locks/{resource}/acquire`.
struct AcquireInput: Decodable {
    /// Who holds it: defaults to the key's user, else the key (`key:<id>`).
    let owner: String?
    let ttlMs: Int64
    /// How long to wait in the queue when someone else holds it (0 or absent: do not wait).
    let waitMs: Int64?
    /// The caller's owner token: the holder's own renews (re-entrant); absent, a new one is made.
    let ownerToken: String?
}

/// The body of `POST /v1/locks/{resource}/renew`.
struct RenewInput: Decodable {
    let ownerToken: String
    let ttlMs: Int64
}

/// The body of `POST /v1/locks/{resource}/release`.
struct ReleaseInput: Decodable {
    let ownerToken: String
}

/// The body of `POST /v1/locks/{resource}/force-release`.
struct ForceReleaseInput: Decodable {
    let reason: String
}

/// The secret a holder proves itself with; the log keeps only its SHA-256.
struct OwnerToken {
    let text: String

    /// A new random token (256 bits).
    static func make() -> OwnerToken { OwnerToken(text: "lot_" + Hex.random(bytes: 32)) }

    /// A token a client sent.
    /// - Throws: ``APIError`` 400 unless it is 16-256 printable ASCII characters.
    static func given(_ text: String, field: String = "owner_token") throws -> OwnerToken {
        guard (16...256).contains(text.utf8.count), text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIError.invalid(field, "must be 16-256 printable ASCII characters (the owner_token an acquire returned)")
        }
        return OwnerToken(text: text)
    }

    var sha256: String { Hex.encode(Array(SHA256.hash(data: Data(text.utf8)))) }
}

enum LockInput {
    /// The resource named by the path; 400 for a name no lock can have.
    static func resource(_ context: AppRequestContext) throws -> String {
        let resource = try PathInput(context: context).string("resource")
        guard resource.utf8.count <= 190, Identifiers.isValidStream(Lock.stream(resource)) else {
            throw APIError.invalid("resource", "must be 1-190 characters of [A-Za-z0-9_.:-]")
        }
        return resource
    }

    /// Milliseconds as seconds.
    /// - Throws: ``APIError`` 400 outside `range`.
    static func seconds(_ milliseconds: Int64, field: String, range: ClosedRange<Int64>) throws -> TimeInterval {
        guard range.contains(milliseconds) else {
            throw APIError.invalid(field, "must be in [\(range.lowerBound), \(range.upperBound)] milliseconds")
        }
        return TimeInterval(milliseconds) / 1000
    }
}
