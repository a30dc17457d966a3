import ArgumentParser
import Bank
import Chronicle
import ChronicleCommands
import Foundation

/// Money and dates as the CLI reads and prints them.
enum Format {
    /// `12.50` from 1250 cents.
    static func money(_ cents: Money) -> String {
        let sign = cents < 0 ? "-" : ""
        let value = abs(cents)
        return "\(sign)\(value / 100)." + (value % 100 < 10 ? "0" : "") + String(value % 100)
    }

    /// Cents from `12.50`, `12` or `0.5`; `nil` for anything else.
    static func cents(_ text: String) -> Money? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]), whole >= 0 else { return nil }
        var fraction = 0
        if parts.count == 2 {
            guard (1...2).contains(parts[1].count), let digits = Int(parts[1]) else { return nil }
            fraction = parts[1].count == 1 ? digits * 10 : digits
        }
        return whole * 100 + fraction
    }

    static func date(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
    }

    /// JSON text of a value, keys sorted.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}

/// An error the CLI reports as it is (exit code 1).
struct BankError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// An amount argument: `12.50`.
struct Amount: ExpressibleByArgument {
    let cents: Money

    init?(argument: String) {
        guard let cents = Format.cents(argument), cents > 0 else { return nil }
        self.cents = cents
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// An account id argument.
extension Account.ID: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// A date argument: ISO 8601 or relative.
struct DateArgument: ExpressibleByArgument {
    let date: Date
    init?(argument: String) {
        guard let date = DateExpression.parse(argument) else { return nil }
        self.date = date
    }
}
