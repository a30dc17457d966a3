import Bank
import Chronicle
import Foundation
import TestSupport
import Testing

/// `bank demo --report`: the page is self-contained, and a real headless browser (Debian's
/// chromium) loads it without errors, runs its script, and shows on the chart exactly the
/// points of the run: one per event of the log, at the bank's total balance after it, as a fold
/// of the log computed here.
///
/// CI installs chromium and sets `CHRONICLE_BROWSER_REQUIRED=1`: without a browser this test
/// then fails, where elsewhere it checks the page without one.
@Suite("The demo's HTML report")
struct DemoReportTests {
    static var browser: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func theReportShowsTheRunInABrowser() async throws {
        let folder = try TemporaryFolder()
        let store = folder.path + "/store", page = folder.path + "/report.html"
        let demo = try await CLIProcess.run(["demo", "--store", store, "--report", page, "--quiet"], in: folder, executable: CLIProcess.executable(named: "bank"))
        #expect(demo.status == 0, "\(demo.stdout)\(demo.stderr)")
        #expect(demo.stdout.contains("✔ the report's last point is the bank's total balance now"))
        let html = try String(contentsOfFile: page, encoding: .utf8)

        // Self-contained: nothing is fetched.
        for pattern in [#"src\s*="#, #"<link"#, #"@import"#, #"url\("#, #"href\s*=\s*"http"#] {
            #expect(html.range(of: pattern, options: .regularExpression) == nil, "the page refers to an outside resource: \(pattern)")
        }

        // What the chart must show: the total balance after each event, folded here.
        let log = try FlatFileEventStore(path: store, options: FlatFileStoreOptions(readOnly: true))
        let events = try await log.readAll(from: 1, direction: .forward, limit: .max)
        await log.close()
        var totals = BankTotals()
        var expected: [(position: Int64, balance: Money)] = []
        for recorded in events {
            try totals.project(recorded)
            expected.append((recorded.position, totals.row.balance))
        }
        let reverts = events.filter { $0.metadata["chronicle.reverts"] != nil }.count
        let bugs = events.filter { ($0.actor ?? "").contains("buggy") }.count
        #expect(expected.count > 100 && reverts > 0 && bugs > 0)

        let required = ProcessInfo.processInfo.environment["CHRONICLE_BROWSER_REQUIRED"] == "1"
        guard let browser = Self.browser else {
            #expect(!required, "CHRONICLE_BROWSER_REQUIRED is set but no chromium is installed")
            // Without a browser, the page as written must still hold the points.
            #expect(Self.points(in: html).map(\.position) == expected.map(\.position))
            return
        }
        // The DOM after the page loaded and its script ran; `timeout` guards against a hang and
        // ends the browser's whole process group.
        let profile = folder.path + "/profile"
        let run = try await CLIProcess.run(["--kill-after=10", "300", browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                            "--no-first-run", "--user-data-dir=\(profile)", "--enable-logging=stderr", "--v=0",
                                            "--dump-dom", URL(fileURLWithPath: page).absoluteString],
                                           in: folder, executable: "/usr/bin/timeout")
        #expect(run.status == 0, "chromium: \(run.stderr)")
        let dom = run.stdout
        #expect(!run.stderr.contains("Uncaught"), "the page's script failed: \(run.stderr)")
        #expect(dom.contains(#"data-rendered="true""#), "the page's script did not run to its end")
        #expect(dom.contains("The chart shows \(expected.count) events of the log."))
        let shown = Self.points(in: dom)
        #expect(shown.count == expected.count)
        #expect(shown.map(\.position) == expected.map(\.position))
        #expect(shown.map(\.balance) == expected.map(\.balance), "the chart's balances differ from the log's")
        #expect(shown.filter { $0.kind == "bug" }.count == bugs)
        #expect(shown.filter { $0.kind == "revert" }.count == reverts)
        // The demo's numbers: the peak is the buggy total, the end the total after the revert.
        #expect(shown.last?.balance == expected.last?.balance)
        #expect(shown.map(\.balance).max() == expected.map(\.balance).max())
    }

    /// The chart's points, from the page or the browser's DOM.
    static func points(in html: String) -> [(position: Int64, balance: Money, kind: String)] {
        let pattern = #"<circle class="point (\w+)"[^>]*data-position="(\d+)" data-balance="(-?\d+)""#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let text = html as NSString
        return regex.matches(in: html, range: NSRange(location: 0, length: text.length)).compactMap { match in
            guard let position = Int64(text.substring(with: match.range(at: 2))), let balance = Money(text.substring(with: match.range(at: 3))) else { return nil }
            return (position, balance, text.substring(with: match.range(at: 1)))
        }
    }
}
