extension Session: DataSubjectNaming {
    /// A session's personal data is its owner's: the owner the start names, then the
    /// owner its state holds.
    public static func dataSubject(of event: SessionEvent, in state: SessionState) -> String? {
        if case .started(_, let ownerID, _, _, _) = event { return ownerID }
        guard case .started(let record) = state else { return nil }
        return record.ownerID
    }
}
