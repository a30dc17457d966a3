import Bank
import Chronicle
import Foundation
import Loyalty
import Testing
import TestSupport

/// An app opened on a folder owns its store, snapshots, audit log and views: one `close()`
/// persists and closes them all, and the folder opens again as it was left.
@Suite("App lifecycle")
struct AppLifecycleTests {
    @Test func aBankAppOpenedOnAFolderClosesWhatItOwns() async throws {
        let folder = try TemporaryFolder()
        let id = Account.ID.make()
        let first = try await BankApp.open(folder: folder.sub("bank"), rules: BankRulebook())
        try await first.commands.open(account: id, owner: "Ada")
        try await first.commands.deposit(account: id, amount: 250)
        try await first.close()
        // The views were saved beside the store, and the store's writer lock was let go: a
        // second app opens the same folder in this process.
        #expect(FileManager.default.fileExists(atPath: folder.sub("bank-views")))
        let second = try await BankApp.open(folder: folder.sub("bank"), rules: BankRulebook())
        #expect(second.queries.accountSummary.row(id)?.balance == 250)
        try await second.commands.deposit(account: id, amount: 1)
        #expect(second.queries.accountSummary.row(id)?.balance == 251)
        #expect(try AuditLog.entries(in: AuditLog.folder(ofStore: folder.sub("bank")), since: nil, rejectedOnly: false).count == 3)
        try await second.close()
    }

    @Test func aLoyaltyAppOpenedOnAFolderClosesWhatItOwns() async throws {
        let folder = try TemporaryFolder()
        let member = Member.ID("m-7")
        let first = try await LoyaltyApp.open(folder: folder.sub("loyalty"), viewsFolder: folder.sub("cards"), rules: LoyaltyRulebook())
        try await first.commands.join(member: member, name: "Ada")
        try await first.commands.earn(member: member, points: 40)
        try await first.close()
        let second = try await LoyaltyApp.open(folder: folder.sub("loyalty"), viewsFolder: folder.sub("cards"), rules: LoyaltyRulebook())
        #expect(second.queries.memberCard.row(member)?.points == 40)
        try await second.close()
    }
}
