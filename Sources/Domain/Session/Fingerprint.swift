/// A 64-bit FNV-1a hash of strings, stable across processes and releases (unlike `Hasher`):
/// a message in the state keeps only this, to recognise a retry of the same write.
struct Fingerprint {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 { mix(byte) }
        mix(0xff)  // a separator no UTF-8 text contains
    }

    mutating func add(_ number: UInt64) { add(String(number)) }

    private mutating func mix(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    static func of(_ message: ChatMessage) -> UInt64 {
        var print = Fingerprint()
        print.add(message.parentID ?? "")
        print.add(message.role.rawValue)
        print.add(message.content)
        print.add(message.model ?? "")
        print.add(message.promptTokens)
        print.add(message.completionTokens)
        for citation in message.citations {
            print.add(citation.documentID)
            print.add(citation.documentVersion ?? 0)
            print.add(citation.chunkID)
            print.add(citation.score.map { String($0) } ?? "")
            print.add(citation.quote)
        }
        return print.value
    }

    static func of(_ texts: String...) -> UInt64 {
        var print = Fingerprint()
        for text in texts { print.add(text) }
        return print.value
    }
}
