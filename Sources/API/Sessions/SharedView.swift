import Domain
import EventStore
import Foundation
import HTTPTypes
import Hummingbird
import Projections

/// `GET /v1/shared/{share_id}`: a shared session (its active branch) or turn, read
/// without an API key. Each read is recorded as a `ShareViewed` event.
struct SharedView: ResponseEncodable {
    let shareId: String
    let mode: String
    let title: String
    let messages: [MessageView]
    /// Views of the link, this one included.
    let views: Int64

    static let passwordHeader = HTTPField.Name("Eventloom-Share-Password")!

    static func read(_ request: Request, _ context: AppRequestContext, store: EventStore, database: TenantDatabase,
                     consistency: Consistency, guard limits: ShareGuard, clock: WallClock) async throws -> SharedView {
        let shareID = try PathInput(context: context).string("share")
        let gone = APIError.notFound("no shared link \(shareID), or it was revoked or has expired")
        try await consistency.wait(for: "sessions", askedBy: request)
        guard SessionValidation.isIdentifier(shareID), let link = try await link(shareID, database: database, consistency: consistency),
              !link.revoked, link.expiresAt.map({ $0 > clock.now() }) ?? true else { throw gone }
        if let stored = link.passwordHash {
            let refused = APIError(.forbidden, "share-password", "Password required",
                                   detail: "this link needs its password in the Eventloom-Share-Password header")
            guard let presented = request.headers[passwordHeader], !presented.isEmpty,
                  presented.count <= SharePassword.maximumLength else { throw refused }
            guard try await limits.checkPassword(shareID, { await SharePassword.matchesAside(presented, stored: stored) }) else { throw refused }
        }
        try limits.admitView(shareID)
        // The read model may lag a revocation or a deletion: the log has the last word.
        guard try await isLive(link, store: store, at: clock.now()) else { throw gone }
        let queries = SessionReads(database: database)
        guard let session = try await queries.session(tenant: link.tenant, id: link.sessionID), !session.deleted else { throw gone }
        let messages = try await queries.messages(tenant: link.tenant, sessionID: link.sessionID)
        let shown = link.messageID.map { SharedTurn.messages(of: $0, in: messages, active: session.activeMessageId) }
            ?? ActiveBranch.path(to: session.activeMessageId, in: messages)
        let viewed = ShareViewed(shareID: shareID, sessionID: link.sessionID, at: clock.now())
        // The link's stream holds its views only: its version after this one is the count.
        let recorded = try await store.append(tenant: link.tenant, stream: Session.shareStream(shareID), expected: .any,
                                              events: [try NewEvent(viewed, metadata: EventMetadata())])
        return SharedView(shareId: shareID, mode: link.mode, title: session.title, messages: shown,
                          views: recorded.events.last?.streamVersion ?? link.views + 1)
    }

    /// The link from the read model. A link it does not know yet may have been created a
    /// moment ago: then the read model is given up to ``newLinkWait`` to reach the log's
    /// current head, so that a link opened right after it was shared is found. An unknown
    /// link is 404 either way, never a 504 that would tell an anonymous caller the read
    /// model's lag. The wait costs nothing while the read model is current (it is then
    /// over at once) and no query while it lasts (the checkpoint's announcements).
    private static func link(_ shareID: String, database: TenantDatabase, consistency: Consistency) async throws
        -> ShareRow?
    {
        let queries = SessionReads(database: database)
        if let link = try await queries.link(shareID) { return link }
        guard try await consistency.waitForCurrentHead(of: "sessions", upTo: newLinkWait) else { return nil }
        return try await queries.link(shareID)
    }
}

extension SharedView {
    /// How long a read of a link the read model does not know waits for it to catch up.
    /// One second was too short once: in a suite keeping both cores busy the sessions read
    /// model lagged the share's commit by more than that.
    static let newLinkWait: Duration = .seconds(5)

    /// Whether the session's stream still has the link, not revoked nor expired, on a
    /// session not deleted.
    static func isLive(_ link: ShareRow, store: EventStore, at now: Date) async throws -> Bool {
        let current = try await store.state(of: Session.self, tenant: link.tenant, stream: Session.stream(link.sessionID))
        guard case .started(let record) = current.state, !record.deleted, let share = record.shares[link.shareID],
              !share.revoked else { return false }
        return share.share.expiresAt.map { $0 > now } ?? true
    }
}

/// One turn of a conversation: a user's message and the reply to it. Sharing a reply
/// shows it with the message it answers; sharing a user's message shows it with its reply
/// on the active branch (or its newest reply).
enum SharedTurn {
    static func messages(of messageID: String, in messages: [MessageView], active: String?) -> [MessageView] {
        guard let message = messages.first(where: { $0.id == messageID }) else { return [] }
        if message.role != MessageRole.user.rawValue {
            let parent = messages.first { $0.id == message.parentId && $0.role == MessageRole.user.rawValue }
            return (parent.map { [$0] } ?? []) + [message]
        }
        let onBranch = Set(ActiveBranch.path(to: active, in: messages).map(\.id))
        let replies = messages.filter { $0.parentId == messageID }
        let reply = replies.first { onBranch.contains($0.id) } ?? replies.last
        return [message] + (reply.map { [$0] } ?? [])
    }
}
