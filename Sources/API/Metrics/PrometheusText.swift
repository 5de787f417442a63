/// Gauges in the Prometheus text exposition format (0.0.4).
struct PrometheusText {
    private(set) var text = ""

    var bytes: [UInt8] { Array(text.utf8) }

    mutating func family(_ name: String, _ help: String, _ samples: [([String: String], Double)]) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
        for (labels, value) in samples {
            let rendered = labels.sorted { $0.key < $1.key }
                .map { "\($0.key)=\"\(Self.escaped($0.value))\"" }.joined(separator: ",")
            text += name + (rendered.isEmpty ? "" : "{\(rendered)}") + " \(Self.number(value))\n"
        }
    }

    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
