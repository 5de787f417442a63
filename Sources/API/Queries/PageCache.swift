import NIOCore
import Synchronization

/// Rendered query pages of one read model, valid for one token of ``ReadModelVersions``:
/// when the token changes, every page is dropped. Bounded in bytes and in pages.
final class PageCache: Sendable {
    private let maximumBytes: Int
    private let maximumPages: Int
    private let state = Mutex(State())

    private struct State {
        var token: String?
        var pages: [String: ByteBuffer] = [:]
        var bytes = 0
    }

    init(maximumBytes: Int = 32 << 20, maximumPages: Int = 10_000) {
        self.maximumBytes = maximumBytes
        self.maximumPages = maximumPages
    }

    /// Drops every page: a read with `consistent_with` saw rows newer than the token.
    func clear() {
        state.withLock { $0 = State() }
    }

    func page(_ key: String, token: String) -> ByteBuffer? {
        state.withLock { $0.token == token ? $0.pages[key] : nil }
    }

    func store(_ page: ByteBuffer, key: String, token: String) {
        state.withLock { state in
            if state.token != token {
                state = State(token: token)
            }
            guard page.readableBytes <= maximumBytes / 16 else { return }
            if state.bytes + page.readableBytes > maximumBytes || state.pages.count >= maximumPages {
                state.pages = [:]
                state.bytes = 0
            }
            state.bytes += page.readableBytes - (state.pages[key]?.readableBytes ?? 0)
            state.pages[key] = page
        }
    }
}
