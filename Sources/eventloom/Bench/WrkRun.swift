import Foundation

/// One wrk run from a Lua `request` body: answers counted by class across wrk's threads
/// (`created` = 201, `ok` = 200, `refused` = 429, `other`), and the latency percentiles.
struct WrkRun: Sendable {
    let baseURL: String
    let connections: Int

    struct Result: Sendable {
        let created: Int
        let ok: Int
        let refused: Int
        let other: Int
        let seconds: Double
        let p50: String
        let p99: String
        var createdPerSecond: Double { Double(created) / seconds }
        var answeredPerSecond: Double { Double(created + ok) / seconds }
    }

    /// Runs wrk for `seconds` with `request`, the body of a Lua function that returns
    /// `wrk.format(…)`; it may use `tid` (the thread), `counter` (its request count) and
    /// what `prelude` defines (Lua run once per thread before the first request).
    func run(seconds: Int, prelude: String = "", request: String) async throws -> Result {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("eventloom-wrk-\(UUID().uuidString).lua")
        defer { try? FileManager.default.removeItem(at: script) }
        try lua(prelude: prelude, request).write(to: script, atomically: true, encoding: .utf8)
        let output = try await ExternalProcess.run("wrk", [
            "-t", "2", "-c", "\(connections)", "-d", "\(seconds)s", "--latency", "-s", script.path, baseURL])
        guard let counts = output.split(separator: "\n").first(where: { $0.hasPrefix("COUNTS") }) else {
            throw CommandFailure("wrk printed no counts:\n\(output)")
        }
        func count(_ label: String) -> Int {
            Int(counts.split(separator: " ").first { $0.hasPrefix(label + "=") }?.dropFirst(label.count + 1) ?? "") ?? -1
        }
        func percentile(_ label: String) -> String {
            output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }
                .map { $0.split(separator: " ").last.map(String.init) ?? "?" } ?? "?"
        }
        return Result(created: count("created"), ok: count("ok"), refused: count("refused"), other: count("other"),
                      seconds: Double(seconds), p50: percentile("50%"), p99: percentile("99%"))
    }

    private func lua(prelude: String, _ request: String) -> String {
        """
        \(prelude)
        local threads = {}
        function setup(thread)
          thread:set("tid", #threads)
          table.insert(threads, thread)
        end
        function init(args)
          created, ok, refused, other, counter = 0, 0, 0, 0, 0
          math.randomseed(os.time() + tid * 7919)
        end
        request = function()
          counter = counter + 1
        \(request)
        end
        response = function(status, headers, body)
          if status == 201 then created = created + 1 elseif status == 200 then ok = ok + 1
          elseif status == 429 then refused = refused + 1 else other = other + 1 end
        end
        done = function(summary, latency, requests)
          local c, k, r, o = 0, 0, 0, 0
          for _, t in ipairs(threads) do c = c + t:get("created"); k = k + t:get("ok"); r = r + t:get("refused"); o = o + t:get("other") end
          io.write(string.format("COUNTS created=%d ok=%d refused=%d other=%d\\n", c, k, r, o))
        end
        """
    }
}
