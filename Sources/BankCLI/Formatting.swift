import ArgumentParser
import Bank
import Chronicle
import ChronicleTerminal
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
        // Digits, and at most two decimals: no sign, no exponent, no spaces, nothing that
        // overflows. `Int(_:)` alone would take "+1" and "-0".
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        func isDigits(_ part: Substring) -> Bool { !part.isEmpty && part.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        guard parts.count <= 2, isDigits(parts[0]), let whole = Money(parts[0]) else { return nil }
        var fraction = 0
        if parts.count == 2 {
            guard parts[1].count <= 2, isDigits(parts[1]), let digits = Money(parts[1]) else { return nil }
            fraction = parts[1].count == 1 ? digits * 10 : digits
        }
        let (hundreds, overflow) = whole.multipliedReportingOverflow(by: 100)
        guard !overflow else { return nil }
        let (cents, tooLarge) = hundreds.addingReportingOverflow(fraction)
        return tooLarge ? nil : cents
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
