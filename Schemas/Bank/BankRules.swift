import Chronicle

/// The bank's business rules: the decisions its schema leaves to Swift.
public struct BankRulebook: BankRules {
    /// Creates the rulebook.
    public init() {}

    public func decide(_ command: Account.Deposit, state: Account.State) throws(Account.DepositError) -> Account.Deposited {
        guard command.amount > 0 else { throw .amountNotPositive }
        guard state.status == .open else { throw .accountClosed }
        return Account.Deposited(amount: command.amount)
    }

    public func decide(_ command: Account.Withdraw, state: Account.State) throws(Account.WithdrawError) -> Account.Withdrawn {
        guard command.amount > 0 else { throw .amountNotPositive }
        guard state.status == .open else { throw .accountClosed }
        guard state.balance >= command.amount else { throw .insufficientFunds }
        return Account.Withdrawn(amount: command.amount)
    }

    public func decide(_ command: Account.Close, state: Account.State) throws(Account.CloseError) -> Account.Closed {
        guard state.status == .open else { throw .accountClosed }
        guard state.balance == 0 else { throw .balanceNotZero }
        return Account.Closed()
    }

    public func decide(_ command: Transfer, from: Account.State, to: Account.State) throws(TransferError) -> Transfer.Events {
        guard command.amount > 0 else { throw .amountNotPositive }
        guard command.from != command.to else { throw .sameAccount }
        guard from.status == .open, to.status == .open else { throw .accountClosed }
        guard from.balance >= command.amount else { throw .insufficientFunds }
        return Transfer.Events(from: Account.Withdrawn(amount: command.amount), to: Account.Deposited(amount: command.amount))
    }
}
