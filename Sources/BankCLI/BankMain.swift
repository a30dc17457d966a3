import ArgumentParser
import ChronicleTerminal

/// `bank`: the bank of the README, on Chronicle's flat-file store.
@main
struct BankMain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bank",
        abstract: "A bank on Chronicle: accounts, deposits, withdrawals and transfers as events, with views, time travel and revert.",
        discussion: """
            Every subcommand works on --store DIR (created on first use) and keeps its views in \
            --views DIR (default: the store's folder name followed by -views). Amounts are in the \
            currency's units with up to two decimals (12.50). Dates are ISO 8601 (2026-03-01, \
            2026-03-01T12:00:00Z) or relative ("3 days ago"). Exit codes: 0 success, 1 an error or \
            a refused command, 64 wrong usage, 74 the output could not be written. A command that \
            was recorded exits 0; what failed after it (saving views on a full disk) is a warning.
            """,
        subcommands: [
            DemoCommand.self, OpenCommand.self, DepositCommand.self, WithdrawCommand.self, TransferCommand.self, RenameCommand.self,
            CloseCommand.self, ShowCommand.self, ListCommand.self, HistoryCommand.self, AsOfCommand.self, RevertCommand.self, RebuildViewsCommand.self,
            AuditCommand.self, SimulateCommand.self, FollowCommand.self,
        ]
    )

    static func main() async { await mainWatchingParent() }
}
