import Chronicle
import Foundation
import TestSupport
import Testing

/// `chronicle cat` and `stats` as a script would use them, on a log the synthetic workload wrote.
@Suite("chronicle CLI")
struct CLITests {
    @Test func catStatsAndBench() async throws {
        let folder = try TemporaryFolder()
        let store = folder.sub("store")
        let bench = try await CLIProcess.run(["workload", "--store", store, "--events", "250", "--batch", "5", "--writers", "2", "--segment-size", "16384"], in: folder, executable: CLIProcess.workload)
        #expect(bench.status == 0, "\(bench.stderr)")
        #expect(bench.stdout.contains("append.events 250 events"))
        #expect(bench.stdout.contains("append.rate "))

        struct Stats: Decodable { var events: Int64; var streams: Int; var segments: Int; var firstPosition: Int64?; var lastPosition: Int64? }
        let stats = try JSONDecoder().decode(Stats.self, from: Data(try await CLIProcess.run(["stats", store, "--json"], in: folder).stdout.utf8))
        #expect(stats.events == 250)
        #expect(stats.segments > 1)
        #expect(stats.firstPosition == 1 && stats.lastPosition == 250)
        #expect(stats.streams >= 2)
        let table = try await CLIProcess.run(["stats", store], in: folder).stdout
        #expect(table.contains("events") && table.contains("250"))

        let all = try await CLIProcess.run(["cat", store], in: folder).stdout.split(separator: "\n")
        #expect(all.count == 250)
        struct Line: Decodable { var position: Int64; var stream: String; var type: String }
        let lines = try all.map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
        #expect(lines.map(\.position) == Array(1...250))
        #expect(lines.first?.type == "Account.Opened")
        let slice = try await CLIProcess.run(["cat", store, "--from", "10", "--to", "12"], in: folder).stdout.split(separator: "\n")
        #expect(slice.count == 3)
        let stream = lines[0].stream
        let streamLines = try await CLIProcess.run(["cat", store, "--stream", stream], in: folder).stdout.split(separator: "\n")
        #expect(streamLines.count == lines.filter { $0.stream == stream }.count)
        #expect(try await CLIProcess.run(["verify", store], in: folder).status == 0)
        #expect(try await CLIProcess.run(["stats", folder.sub("nothing-here")], in: folder).status == 1)
        #expect(try await CLIProcess.run(["workload", "--store", store, "--events", "0"], in: folder, executable: CLIProcess.workload).status == 64)
    }
}
