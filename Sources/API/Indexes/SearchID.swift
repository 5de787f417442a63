import Foundation

/// A search's id, `<version>.<uuid>`: the version that answered it and a random part. The
/// feedback route reads the version from it, so a report needs no lookup of the search.
struct SearchID: Equatable {
    let version: Int
    let text: String

    init(version: Int) {
        self.version = version
        self.text = "\(version).\(UUID().uuidString.lowercased())"
    }

    /// The id `text`; nil when it is not one a search answered.
    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let version = Int(parts[0]), version > 0, parts[0].allSatisfy(\.isASCII),
              UUID(uuidString: String(parts[1])) != nil, parts[1] == parts[1].lowercased()
        else { return nil }
        self.version = version
        self.text = text
    }
}
