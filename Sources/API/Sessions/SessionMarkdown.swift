import Domain

/// The active branch of a session as Markdown: a heading per message, its citations as a
/// numbered list under it.
enum SessionMarkdown {
    static func render(_ session: SessionView, branch: [MessageView]) -> String {
        var text = "# \(session.title)\n\nModel: \(session.config.model)\n"
        if let summary = session.summary { text += "\n> Summary: " + summary.text.replacingOccurrences(of: "\n", with: "\n> ") + "\n" }
        for message in branch {
            text += "\n## \(message.role.prefix(1).uppercased() + message.role.dropFirst())"
            if let model = message.model { text += " (\(model))" }
            text += "\n\n\(message.content)\n"
            for (number, citation) in message.citations.enumerated() {
                if number == 0 { text += "\n" }
                text += "\(number + 1). \(citation.documentId)"
                if let version = citation.documentVersion { text += " v\(version)" }
                text += ", chunk \(citation.chunkId)"
                if let quote = citation.quote, !quote.isEmpty { text += ": “\(quote.replacingOccurrences(of: "\n", with: " "))”" }
                text += "\n"
            }
        }
        return text
    }
}
