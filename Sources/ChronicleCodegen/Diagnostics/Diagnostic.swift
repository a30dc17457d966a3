/// A problem found in a schema, reported as `path:line:column: error: message` — the form
/// compilers use, which `swift build` and editors show as they are.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Hashable, Sendable {
        /// Generation fails.
        case error
        /// Generation goes on; the schema probably says something it does not mean.
        case warning
    }

    /// Error or warning.
    public var severity: Severity
    /// What is wrong.
    public var message: String
    /// Where; `nil` for a problem with no place (a file that cannot be read has its path only).
    public var location: SourceLocation?
    /// How to fix it, when there is a likely fix (e.g. "did you mean 'Deposited'?").
    public var hint: String?

    /// Creates a diagnostic.
    public init(_ severity: Severity, _ message: String, at location: SourceLocation?, hint: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
        self.hint = hint
    }

    /// The diagnostic as one line: `path:line:column: error: message; hint`.
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        let advice = hint.map { "; \($0)" } ?? ""
        return "\(place)\(severity.rawValue): \(message)\(advice)"
    }
}

/// Collects diagnostics; a pass reports every problem it finds rather than stopping at the first.
struct Diagnostics {
    private(set) var all: [Diagnostic] = []

    var hasErrors: Bool { all.contains { $0.severity == .error } }

    mutating func error(_ message: String, at location: SourceLocation?, hint: String? = nil) {
        all.append(Diagnostic(.error, message, at: location, hint: hint))
    }

    mutating func warning(_ message: String, at location: SourceLocation?, hint: String? = nil) {
        all.append(Diagnostic(.warning, message, at: location, hint: hint))
    }

    mutating func append(contentsOf other: Diagnostics) { all += other.all }

    /// Sorted by place, for stable output.
    var sorted: [Diagnostic] {
        all.sorted { ($0.location ?? SourceLocation(file: "", line: 0, column: 0)) < ($1.location ?? SourceLocation(file: "", line: 0, column: 0)) }
    }
}
