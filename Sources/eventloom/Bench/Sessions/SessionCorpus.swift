/// Deterministic text for loaded sessions: English-like words made of syllables (about
/// 8,400 of them, each in roughly 0.2% of messages), and in one message of ten a Chinese
/// sentence of 2-character words (200 of them).
struct SessionCorpus {
    static let syllables = ["ka", "lo", "mi", "ren", "tor", "vas", "pel", "dun", "sar", "qui",
                            "bel", "nor", "fi", "gam", "hul", "jen", "ko", "lis", "mur", "pra"]
    static let words: [String] = {
        var words: [String] = []
        for a in syllables { for b in syllables { words.append(a + b) } }
        for a in syllables { for b in syllables { for c in syllables { words.append(a + b + c) } } }
        return words
    }()
    static let hanzi = Array("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞")
    static let chineseWords: [String] = stride(from: 0, to: hanzi.count - 1, by: 2).prefix(200).map { String(hanzi[$0]) + String(hanzi[$0 + 1]) }

    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    /// The next pseudo-random number below `bound` (xorshift64*).
    mutating func next(_ bound: Int) -> Int {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Int((state &* 0x2545_F491_4F6C_DD1D) >> 33) % bound
    }

    /// A message of 12-27 words; one in ten carries a Chinese sentence of 6-13 words.
    mutating func message() -> String {
        var text = (0..<(12 + next(16))).map { _ in Self.words[next(Self.words.count)] }.joined(separator: " ")
        if next(10) == 0 {
            text += " " + (0..<(6 + next(8))).map { _ in Self.chineseWords[next(Self.chineseWords.count)] }.joined() + "。"
        }
        return text
    }

    /// A search query: a word, or two adjacent Chinese words.
    mutating func query() -> String {
        if next(2) == 0 { return Self.words[next(Self.words.count)] }
        return Self.chineseWords[next(Self.chineseWords.count)] + Self.chineseWords[next(Self.chineseWords.count)]
    }
}
