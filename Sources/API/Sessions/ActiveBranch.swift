/// The active branch of a message tree: the path from a root to the active message.
enum ActiveBranch {
    /// The messages from the root to `active`, root first; empty without one.
    static func path(to active: String?, in messages: [MessageView]) -> [MessageView] {
        let byID = Dictionary(messages.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var path: [MessageView] = []
        var next = active
        while let id = next, let message = byID[id], path.count <= byID.count {
            path.append(message)
            next = message.parentId
        }
        return path.reversed()
    }
}
