import ArgumentParser
import ChronicleCommands
import ChronicleTerminal

/// The `chronicle` executable: runs ``ChronicleCommand``.
@main
struct ChronicleMain: AsyncParsableCommand {
    static let configuration = ChronicleCommand.configuration

    static func main() async { await mainWatchingParent() }
}
