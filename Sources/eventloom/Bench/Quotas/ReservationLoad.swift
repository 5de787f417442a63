import Foundation

/// wrk POSTing reservations: each request a new request id, on the budget `budgetExpression`
/// (Lua) picks; 201s, 429s and anything else counted across wrk's threads.
struct ReservationLoad: Sendable {
    let baseURL: String
    let key: String
    let connections: Int

    struct Result: Sendable {
        let created: Int
        let refused: Int
        let other: Int
        let seconds: Double
        let p99: String
        var createdPerSecond: Double { Double(created) / seconds }
    }

    func run(_ name: String, budgetExpression: String, seconds: Int) async throws -> Result {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("eventloom-quotas-\(UUID().uuidString).lua")
        defer { try? FileManager.default.removeItem(at: script) }
        try lua(name, budgetExpression).write(to: script, atomically: true, encoding: .utf8)
        let output = try await ExternalProcess.run("wrk", [
            "-t", "2", "-c", "\(connections)", "-d", "\(seconds)s", "--latency", "-s", script.path, baseURL])
        guard let counts = output.split(separator: "\n").first(where: { $0.hasPrefix("COUNTS") }) else {
            throw CommandFailure("wrk printed no counts:\n\(output)")
        }
        func count(_ label: String) -> Int {
            Int(counts.split(separator: " ").first { $0.hasPrefix(label + "=") }?.dropFirst(label.count + 1) ?? "") ?? -1
        }
        let p99 = output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("99%") }
            .map { $0.split(separator: " ").last.map(String.init) ?? "?" } ?? "?"
        return Result(created: count("created"), refused: count("refused"), other: count("other"),
                      seconds: Double(seconds), p99: p99)
    }

    private func lua(_ name: String, _ budgetExpression: String) -> String {
        """
        local threads = {}
        function setup(thread)
          thread:set("tid", #threads)
          table.insert(threads, thread)
        end
        function init(args)
          created, refused, other, counter = 0, 0, 0, 0
        end
        request = function()
          counter = counter + 1
          local budget = \(budgetExpression)
          local body = '{"request_id":"\(name)-' .. tid .. '-' .. counter .. '","model":"m1","prompt_tokens":50,"max_completion_tokens":50}'
          return wrk.format("POST", "/v1/budgets/" .. budget .. "/reservations",
            { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer \(key)" }, body)
        end
        response = function(status, headers, body)
          if status == 201 then created = created + 1 elseif status == 429 then refused = refused + 1 else other = other + 1 end
        end
        done = function(summary, latency, requests)
          local c, r, o = 0, 0, 0
          for _, t in ipairs(threads) do c = c + t:get("created"); r = r + t:get("refused"); o = o + t:get("other") end
          io.write(string.format("COUNTS created=%d refused=%d other=%d\\n", c, r, o))
        end
        """
    }
}
