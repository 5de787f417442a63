extension Document: DataSubjectNaming {
    /// A private document's personal data is its owner's; a shared document's creation is
    /// its owner's, a commit its author's, a tag its tagger's.
    public static func dataSubject(of event: DocumentEvent, in state: DocumentState) -> String? {
        if case .created(let record) = event { return record.ownerID }
        if let record = state.record, record.isPrivate { return record.ownerID }
        switch event {
        case .committed(_, let commit): return commit.author.id
        case .tagged(_, let tag): return tag.tagger.id
        case .created, .branchCreated, .branchDeleted: return nil
        }
    }
}
