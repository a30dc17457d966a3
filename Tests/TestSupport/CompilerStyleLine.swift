/// Lines in the form compilers print: `file:line:column: error: message`.
public enum CompilerStyleLine {
    /// Whether `line` is `file:line:column: KIND: message`, with KIND one of `kinds`.
    public static func matches(_ line: some StringProtocol, kinds: Set<String> = ["error"]) -> Bool {
        let parts = line.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, Int(parts[1]) != nil, Int(parts[2]) != nil, parts[4].count > 1 else { return false }
        return parts[3].first == " " && kinds.contains(String(parts[3].dropFirst()))
    }
}
