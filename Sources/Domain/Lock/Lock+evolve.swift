extension Lock {
    public static func evolve(_ state: LockState, _ event: LockEvent) -> LockState {
        switch event {
        case .acquired(let holder, _, let expiresAt): .held(holder: holder, until: expiresAt)
        case .released: .free
        }
    }
}
