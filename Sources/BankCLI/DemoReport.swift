import Bank
import Chronicle
import Foundation

/// `bank demo --report FILE.html`: the story as one self-contained page (no network access needed
/// to view it): the total balance over the ten days as a chart, the buggy interest postings and
/// the revert marked on the timeline, the accounts before and after the revert, and what the
/// revert changed.
///
/// The chart is inline SVG drawn here; every point carries its log position and balance as
/// `data-` attributes, so that a test can compare the picture with the log. A short script
/// (nothing depends on it) counts the points into the caption.
struct DemoReport {
    /// One point of the chart: the bank's total balance after an event.
    struct Point {
        enum Kind: String { case ordinary, bug, revert }
        var position: Int64
        var recordedAt: Date
        var balance: Money
        var kind: Kind
    }

    struct AccountLine {
        var owner: String
        var before: Money
        var after: Money
    }

    var points: [Point] = []
    var accounts: [AccountLine] = []
    var revertedEvents = 0
    var revertReason = ""

    /// The total balance after every event of the log, folded through the `BankTotals` view.
    static func points(of store: any EventStore) async throws -> [Point] {
        var totals = BankTotals()
        var points: [Point] = []
        var next: Int64 = 1
        while true {
            let page = try await store.readAll(from: next, direction: .forward, limit: 1_024)
            guard let last = page.last else { return points }
            for recorded in page {
                try totals.project(recorded)
                let kind: Point.Kind = recorded.metadata["chronicle.reverts"] != nil ? .revert
                    : (recorded.actor ?? "").contains("buggy") ? .bug : .ordinary
                points.append(Point(position: recorded.position, recordedAt: recorded.recordedAt, balance: totals.row.balance, kind: kind))
            }
            next = last.position + 1
        }
    }

    func html() -> String {
        let chart = self.chart()
        var rows = ""
        for line in accounts {
            let change = line.after == line.before ? "" : Format.money(line.after - line.before)
            rows += "<tr><td>\(Self.escaped(line.owner))</td><td class=\"money\">\(Format.money(line.before))</td><td class=\"money\">\(Format.money(line.after))</td><td class=\"money\">\(change)</td></tr>\n"
        }
        let bugs = points.filter { $0.kind == .bug }.count
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Chronicle bank demo</title>
            <style>
            body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 960px; color: #222; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
            table { border-collapse: collapse; } td, th { padding: 4px 12px; border-bottom: 1px solid #ddd; text-align: left; }
            td.money { text-align: right; font-variant-numeric: tabular-nums; }
            .legend span { display: inline-block; margin-right: 1.5em; }
            .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 6px; margin-right: 4px; vertical-align: middle; }
            </style>
            </head>
            <body>
            <h1>Chronicle bank demo</h1>
            <p>Ten days of banking on an event log. On days 8 to 10 a faulty interest job posted a hundred
            times the right amounts (\(bugs) postings, in red). Operations reverted the last three days as
            one batch of \(revertedEvents) inverse events (in purple): the bug and its reversal both stay in
            the log, and every account is back to its balance of three days before.</p>
            <h2>The bank's total balance, after each event</h2>
            \(chart)
            <p class="legend"><span><i class="swatch" style="background:#3a6ea5"></i>ordinary events</span><span><i class="swatch" style="background:#c00000"></i>interest bug</span><span><i class="swatch" style="background:#7b4fa0"></i>revert (\(Self.escaped(revertReason)))</span></p>
            <p id="caption">The chart shows the log's events.</p>
            <h2>The accounts before and after the revert</h2>
            <table id="accounts">
            <tr><th>owner</th><th>before the revert</th><th>after the revert</th><th>the revert changed</th></tr>
            \(rows)</table>
            <script>
            // Counts the chart's points into the caption; the page reads the same without it.
            const points = document.querySelectorAll("#balance-chart circle.point");
            document.getElementById("caption").textContent = "The chart shows " + points.length + " events of the log.";
            document.body.dataset.rendered = "true";
            </script>
            </body>
            </html>

            """
    }

    /// The chart as inline SVG: x is the time, y the total balance.
    func chart() -> String {
        let width = 900.0, height = 360.0, left = 90.0, right = 20.0, top = 20.0, bottom = 40.0
        guard let first = points.first, let last = points.last else { return "<p>The log is empty.</p>" }
        let start = first.recordedAt.timeIntervalSince1970, end = max(last.recordedAt.timeIntervalSince1970, start + 1)
        let highest = Double(points.map(\.balance).max() ?? 1), lowest = min(0, Double(points.map(\.balance).min() ?? 0))
        let span = max(highest - lowest, 1)
        func x(_ date: Date) -> Double { left + (date.timeIntervalSince1970 - start) / (end - start) * (width - left - right) }
        func y(_ balance: Money) -> Double { top + (1 - (Double(balance) - lowest) / span) * (height - top - bottom) }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        var svg = ["<svg id=\"balance-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"The bank's total balance over the ten days\">"]
        // Axes, with a line for each day and four balance levels.
        svg.append("<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - right)\" y2=\"\(height - bottom)\" stroke=\"#888\"/>")
        svg.append("<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#888\"/>")
        // A line at each midnight (UTC), labelled with the date.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "MMM d"
        var midnight = (start / 86_400).rounded(.up) * 86_400
        while midnight <= end {
            let date = Date(timeIntervalSince1970: midnight)
            svg.append("<line x1=\"\(number(x(date)))\" y1=\"\(top)\" x2=\"\(number(x(date)))\" y2=\"\(height - bottom)\" stroke=\"#eee\"/>")
            svg.append("<text x=\"\(number(x(date)))\" y=\"\(height - bottom + 16)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">\(formatter.string(from: date))</text>")
            midnight += 86_400
        }
        for step in 0...4 {
            let balance = Money(lowest + span * Double(step) / 4)
            svg.append("<text x=\"\(left - 6)\" y=\"\(number(y(balance) + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">\(Format.money(balance))</text>")
        }
        // The revert's batch, shaded.
        let reverts = points.filter { $0.kind == .revert }
        if let firstRevert = reverts.first {
            svg.append("<line class=\"revert-mark\" x1=\"\(number(x(firstRevert.recordedAt)))\" y1=\"\(top)\" x2=\"\(number(x(firstRevert.recordedAt)))\" y2=\"\(height - bottom)\" stroke=\"#7b4fa0\" stroke-dasharray=\"5 4\"/>")
            svg.append("<text x=\"\(number(x(firstRevert.recordedAt) - 6))\" y=\"\(top + 12)\" font-size=\"12\" text-anchor=\"end\" fill=\"#7b4fa0\">revert</text>")
        }
        if let firstBug = points.first(where: { $0.kind == .bug }) {
            svg.append("<text x=\"\(number(x(firstBug.recordedAt) + 6))\" y=\"\(top + 12)\" font-size=\"12\" fill=\"#c00000\">interest bug</text>")
        }
        let line = points.map { "\(number(x($0.recordedAt))),\(number(y($0.balance)))" }.joined(separator: " ")
        svg.append("<polyline points=\"\(line)\" fill=\"none\" stroke=\"#3a6ea5\" stroke-width=\"1.5\"/>")
        for point in points {
            let color = point.kind == .bug ? "#c00000" : point.kind == .revert ? "#7b4fa0" : "#3a6ea5"
            svg.append("<circle class=\"point \(point.kind.rawValue)\" cx=\"\(number(x(point.recordedAt)))\" cy=\"\(number(y(point.balance)))\" r=\"\(point.kind == .ordinary ? 2 : 3.5)\" fill=\"\(color)\" data-position=\"\(point.position)\" data-balance=\"\(point.balance)\"><title>position \(point.position): \(Format.money(point.balance))</title></circle>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
