extension Document {
    public static func evolve(_ state: DocumentState, _ event: DocumentEvent) -> DocumentState {
        var state = state
        switch event {
        case .created(let record):
            state.record = record
        case .committed(_, let commit):
            state.sequence[commit.id] = state.commits.count
            state.commits[commit.id] = commit
            state.graph.add(commit.id, parents: commit.parents)
            state.branches[commit.branch] = commit.id
        case .branchCreated(_, let branch, let commitID, _):
            state.branches[branch] = commitID
        case .branchDeleted(_, let branch, _, _):
            state.branches[branch] = nil
        case .tagged(_, let tag):
            state.tags[tag.name] = tag
        }
        return state
    }
}
