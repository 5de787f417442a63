import Foundation

extension Document {
    public static func decide(_ command: DocumentCommand, _ state: DocumentState) throws -> [DocumentEvent] {
        switch command {
        case .create(let record): try create(record, state: state)
        case .commit(let draft): try commit(draft, state: state)
        case .createBranch(let name, let from, let at): try createBranch(name, from: from, at: at, state: state)
        case .deleteBranch(let name, let at): try deleteBranch(name, at: at, state: state)
        case .tag(let name, let ref, let tagger, let message, let at):
            try tag(name, ref: ref, tagger: tagger, message: message, at: at, state: state)
        }
    }

    private static func create(_ record: DocumentRecord, state: DocumentState) throws -> [DocumentEvent] {
        try validate(record)
        guard let existing = state.record else { return [.created(record)] }
        // The same creation again (a retried request, at another time) changes nothing.
        if existing.isSameCreation(as: record) { return [] }
        throw DocumentError.alreadyExists
    }

    /// A commit moves its branch from the head the caller read: a head that moved since is
    /// refused with the current one (no lost update).
    private static func commit(_ draft: CommitDraft, state: DocumentState) throws -> [DocumentEvent] {
        let record = try known(state)
        try validate(draft)
        if let existing = state.commits[draft.id] {
            // The same commit again (a retried request) changes nothing.
            if state.branches[draft.branch] == existing.id, existing.parents == draft.parents { return [] }
            throw DocumentError.commitExists(draft.id)
        }
        let current = state.branches[draft.branch]
        if draft.isOrphan {
            guard draft.mergeParent == nil else {
                throw DocumentError.invalid(field: "merge_parent", reason: "an orphan commit has no parent")
            }
            guard current == nil else { throw DocumentError.branchExists(draft.branch) }
        } else if current == nil, draft.branch != record.defaultBranch || !state.commits.isEmpty {
            // Besides an orphan, only the default branch of a document without commits is born by a commit.
            throw DocumentError.unknownRef(draft.branch)
        }
        guard draft.expectedHead == current else {
            throw DocumentError.headMoved(branch: draft.branch, expected: draft.expectedHead, current: current)
        }
        if let mergeParent = draft.mergeParent {
            guard state.commits[mergeParent] != nil else { throw DocumentError.unknownRef(mergeParent) }
            guard mergeParent != current else {
                throw DocumentError.invalid(field: "merge_parent", reason: "must not be the branch's own head")
            }
        }
        guard state.commits.count < DocumentLimits.maximumCommits else {
            throw DocumentError.tooMany(what: "commits", limit: DocumentLimits.maximumCommits)
        }
        let commit = DocumentCommit(id: draft.id, parents: draft.parents, branch: draft.branch, author: draft.author,
                                    message: draft.message, at: draft.at, content: draft.content,
                                    attributes: draft.attributes, fence: draft.fence)
        return [.committed(documentID: record.id, commit)]
    }

    private static func createBranch(_ name: String, from ref: String, at: Date, state: DocumentState) throws -> [DocumentEvent] {
        let record = try known(state)
        try validateRef(name, field: "name")
        guard let commit = state.resolve(ref) else { throw DocumentError.unknownRef(ref) }
        if let head = state.branches[name] {
            if head == commit.id { return [] }
            throw DocumentError.branchExists(name)
        }
        guard state.branches.count < DocumentLimits.maximumBranches else {
            throw DocumentError.tooMany(what: "branches", limit: DocumentLimits.maximumBranches)
        }
        return [.branchCreated(documentID: record.id, branch: name, commitID: commit.id, at: at)]
    }

    private static func deleteBranch(_ name: String, at: Date, state: DocumentState) throws -> [DocumentEvent] {
        let record = try known(state)
        guard name != record.defaultBranch else { throw DocumentError.defaultBranch(name) }
        guard let head = state.branches[name] else { throw DocumentError.unknownRef(name) }
        return [.branchDeleted(documentID: record.id, branch: name, commitID: head, at: at)]
    }

    /// Tags never move: the same tag again changes nothing, another target is refused.
    private static func tag(_ name: String, ref: String, tagger: DocumentAuthor, message: String, at: Date,
                            state: DocumentState) throws -> [DocumentEvent] {
        let record = try known(state)
        try validateRef(name, field: "name")
        try validate(tagger, field: "tagger")
        try validateText(message, field: "message", maximum: DocumentLimits.maximumMessageLength, multiline: true)
        guard let commit = state.resolve(ref) else { throw DocumentError.unknownRef(ref) }
        if let existing = state.tags[name] {
            if existing.commitID == commit.id, existing.message == message, existing.tagger == tagger { return [] }
            throw DocumentError.tagExists(name)
        }
        guard state.tags.count < DocumentLimits.maximumTags else {
            throw DocumentError.tooMany(what: "tags", limit: DocumentLimits.maximumTags)
        }
        return [.tagged(documentID: record.id, DocumentTag(name: name, commitID: commit.id, tagger: tagger, message: message, at: at))]
    }

    private static func known(_ state: DocumentState) throws -> DocumentRecord {
        guard let record = state.record else { throw DocumentError.unknown }
        return record
    }
}
