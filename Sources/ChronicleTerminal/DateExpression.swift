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
            // A finite, non-negative amount within ten thousand years: "nan days ago" is no date.
            guard let seconds = units[unit], amount.isFinite, amount >= 0, amount * seconds <= 3.2e11 else { return nil }
            return now.addingTimeInterval(-amount * seconds)
        }
        guard hasValidCalendarFields(text) else { return nil }
        let full = ISO8601DateFormatter()
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = full.date(from: text) { return date }
        full.formatOptions = [.withInternetDateTime]
        if let date = full.date(from: text) { return date }
        full.formatOptions = [.withFullDate]
        return full.date(from: text)
    }

    /// Whether an ISO 8601 text's date (and time, when there is one) names a real moment: the
    /// formatter alone would take `2026-02-30` for March 2nd.
    static func hasValidCalendarFields(_ text: String) -> Bool {
        let characters = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= characters.count, characters[range].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return characters[range].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        guard let year = number(0..<4), characters.count >= 10, characters[4] == UInt8(ascii: "-"), characters[7] == UInt8(ascii: "-"),
              let month = number(5..<7), let day = number(8..<10), (1...12).contains(month) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return false }
        guard characters.count > 10 else { return true }
        guard characters.count >= 19, let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return false }
        return hour < 24 && minute < 60 && second < 60
    }
}
