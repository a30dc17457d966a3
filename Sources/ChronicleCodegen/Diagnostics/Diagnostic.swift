/// A problem found in a schema, reported as `path:line:column: error: message` — the form
/// compilers use, which `swift build` and editors show as they are — followed by its notes, one
/// `path:line:column: note: message` line each.
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
    /// How to fix it, and places that explain it ("did you mean 'Deposited'?", "first written
    /// here"), in the order they are printed.
    public var notes: [DiagnosticNote]

    /// Creates a diagnostic; a `hint` becomes a note at the same place.
    public init(_ severity: Severity, _ message: String, at location: SourceLocation?, hint: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
        self.notes = hint.map { [DiagnosticNote($0, at: location)] } ?? []
    }

    /// The diagnostic's first line: `path:line:column: error: message`.
    public var headline: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)\(severity.rawValue): \(message)"
    }

    /// The diagnostic as compilers print it: its headline, then one line per note.
    public var description: String {
        ([headline] + notes.map(\.description)).joined(separator: "\n")
    }
}

/// A line that follows a diagnostic: a hint or a related place, printed as
/// `path:line:column: note: message`.
public struct DiagnosticNote: Hashable, Sendable, CustomStringConvertible {
    /// What the note says.
    public var message: String
    /// Where it points; `nil` for a note with no place.
    public var location: SourceLocation?

    /// Creates a note.
    public init(_ message: String, at location: SourceLocation?) {
        self.message = message
        self.location = location
    }

    /// `path:line:column: note: message`.
    public var description: String {
        (location.map { "\($0): " } ?? "") + "note: \(message)"
    }
}

/// Collects diagnostics; a pass reports every problem it finds rather than stopping at the first.
struct Diagnostics {
    private(set) var all: [Diagnostic] = []

    var hasErrors: Bool { errorCount > 0 }

    /// How many errors so far: a pass compares counts to learn whether a part it checked had
    /// errors, and then skips checks that would only repeat them.
    private(set) var errorCount = 0

    mutating func error(_ message: String, at location: SourceLocation?, hint: String? = nil) {
        append(Diagnostic(.error, message, at: location, hint: hint))
    }

    /// An error with a note at a second place, e.g. where a duplicate name was first declared.
    mutating func error(_ message: String, at location: SourceLocation?, note: String, at other: SourceLocation?) {
        var diagnostic = Diagnostic(.error, message, at: location)
        diagnostic.notes.append(DiagnosticNote(note, at: other))
        append(diagnostic)
    }

    mutating func warning(_ message: String, at location: SourceLocation?, hint: String? = nil) {
        append(Diagnostic(.warning, message, at: location, hint: hint))
    }

    mutating func append(_ diagnostic: Diagnostic) {
        all.append(diagnostic)
        if diagnostic.severity == .error { errorCount += 1 }
    }

    mutating func append(contentsOf other: Diagnostics) {
        all += other.all
        errorCount += other.errorCount
    }

    /// Sorted by place, for stable output.
    var sorted: [Diagnostic] {
        all.enumerated().sorted { lhs, rhs in
            let left = lhs.element.location ?? SourceLocation(file: "", line: 0, column: 0)
            let right = rhs.element.location ?? SourceLocation(file: "", line: 0, column: 0)
            return left == right ? lhs.offset < rhs.offset : left < right
        }.map(\.element)
    }
}
