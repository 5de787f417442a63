import Domain
import DomainTesting
import Foundation
import Testing

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)
private func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }
private func hex(_ seed: Character) -> String { String(repeating: String(seed), count: 64) }
private let ann = DocumentAuthor(id: "user-ann", name: "Ann")
private let record = DocumentRecord(id: "handbook", title: "Handbook", ownerID: "user-ann", isPrivate: false,
                                    defaultBranch: "main", attributes: [], at: t0)
private func content(_ seed: Character, size: Int64 = 10) -> DocumentContent {
    DocumentContent(sha256: hex(seed), size: size, mimeType: "text/markdown", modality: .text)
}
private func draft(_ id: Character, branch: String = "main", on head: String?, merging: String? = nil,
                   fence: DocumentFence? = nil) -> CommitDraft {
    CommitDraft(id: hex(id), branch: branch, expectedHead: head, mergeParent: merging, author: ann, message: "edit",
                at: at(1), content: content(id), fence: fence)
}
private func commit(_ draft: CommitDraft) -> DocumentCommit {
    DocumentCommit(id: draft.id, parents: draft.parents, branch: draft.branch, author: draft.author, message: draft.message,
                   at: draft.at, content: draft.content, attributes: draft.attributes, fence: draft.fence)
}
private func committed(_ draft: CommitDraft) -> DocumentEvent { .committed(documentID: "handbook", commit(draft)) }
private let first = draft("1", on: nil)
private let second = draft("2", on: hex("1"))

@Suite struct DocumentDeciderTests {
    @Suite("a document never created") struct Unknown {
        @Test func create_recordsIt() {
            Document.given().when(.create(record)).then([.created(record)])
        }

        @Test func commit_isUnknown() {
            Document.given().when(.commit(first)).thenThrows(DocumentError.unknown)
        }

        @Test func create_withABadBranchName_isInvalid() {
            let bad = DocumentRecord(id: "handbook", title: "Handbook", ownerID: "user-ann", isPrivate: false,
                                     defaultBranch: "bad..name", attributes: [], at: t0)
            Document.given().when(.create(bad)).thenThrows(DocumentError.invalid(field: "default_branch", reason: "must not contain '..'"))
        }
    }

    @Suite("a document without commits") struct Unborn {
        @Test func create_again_changesNothing_evenLater() {
            let later = DocumentRecord(id: "handbook", title: "Handbook", ownerID: "user-ann", isPrivate: false,
                                       defaultBranch: "main", attributes: [], at: at(60))
            Document.given(.created(record)).when(.create(later)).then([])
        }

        @Test func createOther_isAConflict() {
            let other = DocumentRecord(id: "handbook", title: "Other", ownerID: "user-ann", isPrivate: false,
                                       defaultBranch: "main", attributes: [], at: t0)
            Document.given(.created(record)).when(.create(other)).thenThrows(DocumentError.alreadyExists)
        }

        @Test func firstCommit_onTheDefaultBranch_isARoot() {
            Document.given(.created(record)).when(.commit(first)).then([committed(first)])
        }

        @Test func firstCommit_withAnExpectedHead_isRefusedWithTheCurrentOne() {
            Document.given(.created(record)).when(.commit(draft("1", on: hex("9"))))
                .thenThrows(DocumentError.headMoved(branch: "main", expected: hex("9"), current: nil))
        }

        @Test func firstCommit_onAnotherBranch_isAnUnknownRef() {
            Document.given(.created(record)).when(.commit(draft("1", branch: "draft", on: nil)))
                .thenThrows(DocumentError.unknownRef("draft"))
        }

        @Test func commit_withAContentHashThatIsNotSHA256_isInvalid() {
            var bad = first
            bad.content = DocumentContent(sha256: "abc", size: 1, mimeType: "text/plain", modality: .text)
            Document.given(.created(record)).when(.commit(bad))
                .thenThrows(DocumentError.invalid(field: "content_sha256", reason: "must be a hex SHA-256"))
        }

        @Test func commit_withABadMimeType_isInvalid() {
            var bad = first
            bad.content = DocumentContent(sha256: hex("1"), size: 1, mimeType: "markdown", modality: .text)
            Document.given(.created(record)).when(.commit(bad))
                .thenThrows(DocumentError.invalid(field: "mime_type", reason: "must be a MIME type such as text/markdown"))
        }
    }

    @Suite("a document with history") struct WithHistory {
        @Test func commit_onTheHead_movesTheBranch() {
            Document.given(.created(record), committed(first)).when(.commit(second)).then([committed(second)])
        }

        @Test func commit_onAStaleHead_isRefusedWithTheCurrentHead() {
            Document.given(.created(record), committed(first), committed(second)).when(.commit(draft("3", on: hex("1"))))
                .thenThrows(DocumentError.headMoved(branch: "main", expected: hex("1"), current: hex("2")))
        }

        @Test func commit_withoutAHead_onABornBranch_isRefused() {
            Document.given(.created(record), committed(first)).when(.commit(draft("3", on: nil)))
                .thenThrows(DocumentError.headMoved(branch: "main", expected: nil, current: hex("1")))
        }

        @Test func sameCommitAgain_changesNothing() {
            Document.given(.created(record), committed(first), committed(second)).when(.commit(second)).then([])
        }

        @Test func merge_recordsBothParents() {
            let branch = DocumentEvent.branchCreated(documentID: "handbook", branch: "draft", commitID: hex("1"), at: at(2))
            let onDraft = draft("3", branch: "draft", on: hex("1"))
            let merge = draft("4", on: hex("2"), merging: hex("3"))
            Document.given(.created(record), committed(first), committed(second), branch, committed(onDraft))
                .when(.commit(merge)).then([committed(merge)])
            #expect(merge.parents == [hex("2"), hex("3")])
        }

        @Test func merge_ofAnUnknownCommit_isAnUnknownRef() {
            Document.given(.created(record), committed(first)).when(.commit(draft("3", on: hex("1"), merging: hex("7"))))
                .thenThrows(DocumentError.unknownRef(hex("7")))
        }

        @Test func createBranch_fromATag_pointsAtItsCommit() {
            let tag = DocumentTag(name: "v1", commitID: hex("1"), tagger: ann, message: "first", at: at(2))
            Document.given(.created(record), committed(first), committed(second), .tagged(documentID: "handbook", tag))
                .when(.createBranch(name: "fix/typo", from: "v1", at: at(3)))
                .then([.branchCreated(documentID: "handbook", branch: "fix/typo", commitID: hex("1"), at: at(3))])
        }

        @Test func createBranch_withAnInvalidName_isInvalid() {
            Document.given(.created(record), committed(first)).when(.createBranch(name: "feature.lock", from: "main", at: at(3)))
                .thenThrows(DocumentError.invalid(field: "name", reason: "no part may end with '.lock'"))
        }

        @Test func createBranch_fromAnUnknownRef_isAnUnknownRef() {
            Document.given(.created(record), committed(first)).when(.createBranch(name: "x", from: "nope", at: at(3)))
                .thenThrows(DocumentError.unknownRef("nope"))
        }

        @Test func createBranch_thatExistsElsewhere_isAConflict() {
            Document.given(.created(record), committed(first), committed(second),
                           .branchCreated(documentID: "handbook", branch: "x", commitID: hex("1"), at: at(2)))
                .when(.createBranch(name: "x", from: "main", at: at(3))).thenThrows(DocumentError.branchExists("x"))
        }

        @Test func deleteBranch_theDefault_isRefused() {
            Document.given(.created(record), committed(first)).when(.deleteBranch(name: "main", at: at(3)))
                .thenThrows(DocumentError.defaultBranch("main"))
        }

        @Test func tag_isImmutable() {
            let tag = DocumentTag(name: "v1", commitID: hex("1"), tagger: ann, message: "first", at: at(2))
            Document.given(.created(record), committed(first), committed(second), .tagged(documentID: "handbook", tag))
                .when(.tag(name: "v1", ref: "main", tagger: ann, message: "again", at: at(3)))
                .thenThrows(DocumentError.tagExists("v1"))
        }

        @Test func tag_recordsTheResolvedCommit() {
            let tag = DocumentTag(name: "v2", commitID: hex("2"), tagger: ann, message: "second", at: at(3))
            Document.given(.created(record), committed(first), committed(second))
                .when(.tag(name: "v2", ref: "main", tagger: ann, message: "second", at: at(3)))
                .then([.tagged(documentID: "handbook", tag)])
        }

        @Test func fencedCommit_recordsTheLock() {
            let fenced = draft("2", on: hex("1"), fence: DocumentFence(resource: "document:handbook", token: 7))
            Document.given(.created(record), committed(first)).when(.commit(fenced)).then([committed(fenced)])
        }
    }
}

@Suite struct RefNameTests {
    @Test(arguments: ["main", "feature/x", "v1.0", "release-2026", "a_b", "x@y"])
    func valid(_ name: String) { #expect(RefName.problem(name) == nil) }

    @Test(arguments: ["", "a..b", "/a", "a/", "a//b", ".hidden", "a/.b", "x.lock", "a.", "a b", "a~1", "a^", "a:b", "a?",
                      "a*", "a[", "a\\b", "@", "a@{1}", "-x", "HEAD", "refs/heads/x", "tab\tname",
                      String(repeating: "f", count: 64), String(repeating: "x", count: 201)])
    func invalid(_ name: String) { #expect(RefName.problem(name) != nil, "\(name)") }
}

@Suite struct DocumentHistoryTests {
    @Test func history_isNewestFirst_andFirstParentFollowsTheBranch() throws {
        let branch = DocumentEvent.branchCreated(documentID: "handbook", branch: "draft", commitID: hex("1"), at: at(2))
        let onDraft = draft("3", branch: "draft", on: hex("1"))
        let merge = draft("4", on: hex("2"), merging: hex("3"))
        let state = [DocumentEvent.created(record), committed(first), committed(second), branch, committed(onDraft), committed(merge)]
            .reduce(Document.initialState, Document.evolve)
        let history = DocumentHistory(state: state)
        #expect(try history.page(from: "main", firstParent: false, after: nil, limit: 10).commits.map(\.id) == ["4", "3", "2", "1"].map { hex(Character($0)) })
        #expect(try history.page(from: "main", firstParent: true, after: nil, limit: 10).commits.map(\.id) == ["4", "2", "1"].map { hex(Character($0)) })
        let page = try history.page(from: "main", firstParent: false, after: nil, limit: 2)
        #expect(page.next == hex("3"))
        #expect(try history.page(from: "main", firstParent: false, after: page.next, limit: 2).commits.map(\.id) == [hex("2"), hex("1")])
        #expect(throws: DocumentError.unknownRef("nope")) { try history.page(from: "nope", firstParent: false, after: nil, limit: 2) }
    }
}

@Suite struct DocumentOrphanAndSubjectTests {
    @Test func orphanCommit_startsANewBranch_unrelatedToTheOthers() {
        var orphan = draft("5", branch: "imported", on: nil)
        orphan.isOrphan = true
        Document.given(.created(record), committed(first)).when(.commit(orphan)).then([committed(orphan)])
    }

    @Test func orphanCommit_withAMergeParent_isInvalid() {
        var orphan = draft("5", branch: "imported", on: nil, merging: hex("1"))
        orphan.isOrphan = true
        Document.given(.created(record), committed(first)).when(.commit(orphan))
            .thenThrows(DocumentError.invalid(field: "merge_parent", reason: "an orphan commit has no parent"))
    }

    @Test func orphanCommit_onABranchThatExists_isRefused() {
        var orphan = draft("5", on: nil)
        orphan.isOrphan = true
        Document.given(.created(record), committed(first)).when(.commit(orphan)).thenThrows(DocumentError.branchExists("main"))
    }

    @Test func aCommitIdUsedOnAnotherBranch_isAConflict() {
        let again = draft("1", branch: "main", on: hex("2"))
        Document.given(.created(record), committed(first), committed(second)).when(.commit(again))
            .thenThrows(DocumentError.commitExists(hex("1")))
    }

    @Test func branches_areLimited() {
        let branches = (0..<DocumentLimits.maximumBranches - 1).map {
            DocumentEvent.branchCreated(documentID: "handbook", branch: "b\($0)", commitID: hex("1"), at: t0)
        }
        Document.given([.created(record), committed(first)] + branches)
            .when(.createBranch(name: "one-more", from: "main", at: at(9)))
            .thenThrows(DocumentError.tooMany(what: "branches", limit: DocumentLimits.maximumBranches))
    }

    @Test func personalData_ofAPrivateDocument_isTheOwners_elseTheAuthors() {
        let shared = [DocumentEvent.created(record)].reduce(Document.initialState, Document.evolve)
        let bob = DocumentAuthor(id: "user-bob", name: "Bob")
        var byBob = first
        byBob.author = bob
        #expect(Document.dataSubject(of: committed(byBob), in: shared) == "user-bob")
        let secret = DocumentRecord(id: "handbook", title: "Diary", ownerID: "user-ann", isPrivate: true,
                                    defaultBranch: "main", attributes: [], at: t0)
        let isPrivate = [DocumentEvent.created(secret)].reduce(Document.initialState, Document.evolve)
        #expect(Document.dataSubject(of: committed(byBob), in: isPrivate) == "user-ann")
        #expect(Document.dataSubject(of: .branchCreated(documentID: "handbook", branch: "x", commitID: hex("1"), at: t0),
                                     in: shared) == nil)
    }
}
