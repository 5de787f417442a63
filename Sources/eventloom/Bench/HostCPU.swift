import Foundation

/// What the whole host's CPUs did between two readings of `/proc/stat`: on a virtual
/// machine, `steal` is the time the hypervisor gave this machine's CPUs to others, which
/// no measurement here can tell apart from slowness of its own.
struct HostCPU {
    let steal: UInt64
    let total: UInt64

    /// Now; zeros where `/proc/stat` cannot be read.
    static func now() -> HostCPU {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else {
            return HostCPU(steal: 0, total: 0)
        }
        // cpu user nice system idle iowait irq softirq steal (guest time is inside user).
        let fields = line.split(separator: " ").dropFirst().prefix(8).compactMap { UInt64($0) }
        guard fields.count == 8 else { return HostCPU(steal: 0, total: 0) }
        return HostCPU(steal: fields[7], total: fields.reduce(0, +))
    }

    /// The share of CPU time stolen since `earlier`, in percent; nil when unknown (no
    /// `/proc/stat`, or counters that went backwards, as after a migration of the machine).
    func stealPercent(since earlier: HostCPU) -> Double? {
        guard total > earlier.total, steal >= earlier.steal else { return nil }
        return 100 * Double(steal - earlier.steal) / Double(total - earlier.total)
    }

    /// `12%`, or `n/a`.
    static func text(_ percent: Double?) -> String {
        percent.map { String(format: "%.0f%%", $0) } ?? "n/a"
    }
}
