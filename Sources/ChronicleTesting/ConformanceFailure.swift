/// A conformance check that did not hold, with where it was checked.
public struct ConformanceFailure: Error, CustomStringConvertible, Sendable {
    /// What did not hold.
    public let message: String
    /// The check's source file and line.
    public let file: String
    public let line: Int

    public var description: String { "\(file):\(line): \(message)" }
}

/// Fails the current check unless `condition` holds.
func require(_ condition: Bool, _ message: @autoclosure () -> String, file: String = #fileID, line: Int = #line) throws {
    if !condition { throw ConformanceFailure(message: message(), file: file, line: line) }
}

/// Fails the current check unless `actual == expected`.
func requireEqual<T: Equatable>(_ actual: T, _ expected: T, _ what: @autoclosure () -> String, file: String = #fileID, line: Int = #line) throws {
    if actual != expected {
        throw ConformanceFailure(message: "\(what()): expected \(expected), got \(actual)", file: file, line: line)
    }
}

/// Fails the current check unless `body` throws an error that `matches` accepts.
func requireThrows<T>(_ what: String, file: String = #fileID, line: Int = #line, _ body: () async throws -> T, matches: (any Error) -> Bool) async throws {
    do {
        _ = try await body()
    } catch {
        if matches(error) { return }
        throw ConformanceFailure(message: "\(what): threw an unexpected error: \(error)", file: file, line: line)
    }
    throw ConformanceFailure(message: "\(what): expected an error, none was thrown", file: file, line: line)
}
