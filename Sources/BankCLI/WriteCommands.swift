import ArgumentParser
import Bank
import Chronicle
import ChronicleTerminal
import Foundation

/// What a write subcommand prints.
struct CommandReport: Encodable {
    var command: String
    var commandID: UUID
    var account: String?
    var positions: [Int64]?
    var balances: [String: String]
    var replayed: Bool
}

/// Runs a write subcommand: the command, then its report (balances from the account summaries,
/// brought up to date after it); a broken rule is an error with its reason.
func perform(_ name: String, _ options: StoreOptions, accounts: [Account.ID], _ body: (BankSession) async throws -> CommandOutcome) async throws {
    let session = try await options.openForCommands()
    try await session.run { session in
        let outcome: CommandOutcome
        do {
            outcome = try await body(session)
        } catch {
            throw BankError("\(name) refused: \(Refusal.describe(error))")
        }
        do {
            try await session.catchUpViews()
        } catch {
            // The command is recorded: that is what it reports, whatever the views do.
            warn("the account summaries could not be brought up to date: \(error)")
        }
        let summary = session.accountSummary
        let report = CommandReport(
            command: name, commandID: outcome.commandID, account: accounts.first?.description,
            positions: outcome.positions.map { [$0.lowerBound, $0.upperBound] },
            balances: Dictionary(uniqueKeysWithValues: accounts.compactMap { id in summary.row(id).map { (id.description, Format.money($0.balance)) } }),
            replayed: outcome.isDuplicate)
        if options.json {
            try Output.write(try Format.json(report))
        } else {
            let where_ = outcome.positions.map { " at position \($0.upperBound)" } ?? ""
            let balances = accounts.compactMap { id in summary.row(id).map { "\(id): \(Format.money($0.balance))" } }.joined(separator: ", ")
            try Output.write("\(name) recorded\(where_)" + (balances.isEmpty ? "" : "; balance \(balances)") + "\n")
        }
    }
}

/// Readable reasons for refused commands.
enum Refusal {
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as CommandError:
            switch error {
            case .aggregateNotFound: return "no such account"
            case .aggregateAlreadyExists: return "the account already exists"
            default: return error.description
            }
        case let error as Account.WithdrawError: return words(String(describing: error))
        case let error as Account.DepositError: return words(String(describing: error))
        case let error as Account.CloseError: return words(String(describing: error))
        case let error as TransferError: return words(String(describing: error))
        default: return "\(error)"
        }
    }

    /// `insufficientFunds` → `insufficient funds`.
    static func words(_ name: String) -> String {
        var text = ""
        for character in name {
            if character.isUppercase { text += " " + character.lowercased() } else { text.append(character) }
        }
        return text
    }
}

struct OpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "open", abstract: "Open an account; prints its id.")
    @OptionGroup var options: StoreOptions
    @Option(help: "The owner's name.") var owner: String
    @Option(help: "The new account's id (default: a new one).") var id: Account.ID?

    func run() async throws {
        let id = id ?? Account.ID.make()
        try await perform("open", options, accounts: [id]) { try await $0.commands.open(account: id, owner: owner, context: options.context) }
        if !options.json { try Output.write("\(id)\n") }
    }
}

struct DepositCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deposit", abstract: "Pay money into an account.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "The account's id.") var account: Account.ID
    @Argument(help: "The amount, e.g. 12.50.") var amount: Amount

    func run() async throws {
        try await perform("deposit", options, accounts: [account]) { try await $0.commands.deposit(account: account, amount: amount.cents, context: options.context) }
    }
}

struct WithdrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "withdraw", abstract: "Pay money out of an account, if its balance covers it.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "The account's id.") var account: Account.ID
    @Argument(help: "The amount, e.g. 12.50.") var amount: Amount

    func run() async throws {
        try await perform("withdraw", options, accounts: [account]) { try await $0.commands.withdraw(account: account, amount: amount.cents, context: options.context) }
    }
}

struct TransferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transfer", abstract: "Move money between two accounts: both legs or neither.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "The account paying.") var from: Account.ID
    @Argument(help: "The account paid.") var to: Account.ID
    @Argument(help: "The amount, e.g. 12.50.") var amount: Amount

    func run() async throws {
        try await perform("transfer", options, accounts: [from, to]) { try await $0.commands.transfer(from: from, to: to, amount: amount.cents, context: options.context) }
    }
}

struct RenameCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rename", abstract: "Change an account's owner name.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "The account's id.") var account: Account.ID
    @Argument(help: "The new owner name.") var owner: String

    func run() async throws {
        try await perform("rename", options, accounts: [account]) { try await $0.commands.rename(account: account, owner: owner, context: options.context) }
    }
}

struct CloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "Close an account whose balance is zero.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "The account's id.") var account: Account.ID

    func run() async throws {
        try await perform("close", options, accounts: [account]) { try await $0.commands.close(account: account, context: options.context) }
    }
}
