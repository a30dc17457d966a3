import Foundation

/// Dates as people type them on a command line: ISO 8601 (`2026-03-01`, `2026-03-01T12:00:00Z`)
/// or relative to now (`3 days ago`, `2 hours ago`, `now`, `today`, `yesterday`).
public enum DateExpression {
    /// Parses `text`; `nil` when it is neither form.
    public static func parse(_ text: String, now: Date = Date()) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        switch trimmed {
        case "now": return now
        case "today": return calendar.startOfDay(for: now)
        case "yesterday": return calendar.date(byAdding: .day, value: -1, to: calendar.startOfDay(for: now))
        default: break
        }
        let words = trimmed.split(separator: " ")
        if words.count == 3, words[2] == "ago", let amount = Double(words[0]) {
            let units: [String: Double] = ["second": 1, "minute": 60, "hour": 3_600, "day": 86_400, "week": 604_800]
            let unit = words[1].hasSuffix("s") ? String(words[1].dropLast()) : String(words[1])
            if let seconds = units[unit] { return now.addingTimeInterval(-amount * seconds) }
        }
        let full = ISO8601DateFormatter()
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = full.date(from: text) { return date }
        full.formatOptions = [.withInternetDateTime]
        if let date = full.date(from: text) { return date }
        full.formatOptions = [.withFullDate]
        return full.date(from: text)
    }
}
