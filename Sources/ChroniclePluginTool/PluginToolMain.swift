import ArgumentParser
import ChronicleCommands

/// The tool the build plugin runs: the same command as `chronicle`, in an executable of its own
/// because a plugin cannot use an executable target that a product renames.
@main
struct PluginToolMain: AsyncParsableCommand {
    static let configuration = ChronicleCommand.configuration
}
