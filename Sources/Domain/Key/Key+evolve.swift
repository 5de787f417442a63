extension Key {
    public static func evolve(_ state: KeyState, _ event: KeyEvent) -> KeyState {
        switch (state, event) {
        case (_, .issued(let keyID, let name, let roles, _, let at)):
            .active(keyID: keyID, name: name, roles: roles, issuedAt: at)
        case (.active(_, let name, let roles, _), .revoked(let keyID, let at)):
            .revoked(keyID: keyID, name: name, roles: roles, revokedAt: at)
        case (_, .revoked):
            state
        }
    }
}
