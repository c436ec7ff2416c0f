import Foundation
import Testing
@testable import StandbyCore

/// The sample estate's source and the recovery environment the translation tests restore into.
enum SampleEstate {
    static let subscription = "8f3c2a1e-5b7d-4c9a-9e21-3d6f0a4b7c15"
    static let recoverySubscription = "0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d"
    static let account = "111111111111"
    static let recoveryAccount = "999988887777"
    static let aksID = "/subscriptions/\(subscription)/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu"
    static let eksARN = "arn:aws:eks:us-east-1:\(account):cluster/eks-prod-use1"

    static let recovery = RecoveryEnvironment(
        azure: AzureSite(subscription: recoverySubscription, location: "northeurope", tenant: "5e1f2d3c-4b5a-4968-8776-a5b4c3d2e1f0"),
        aws: AWSSite(account: recoveryAccount, region: "us-west-2"),
        resourceGroups: ["rg-payments-prod": "rg-payments-dr"])

    nonisolated(unsafe) private static var cached: Inventory?

    static func inventory() throws -> Inventory {
        if let c = cached { return c }
        let root = try #require(repositoryRoot())
        let inv = try InventoryLoader.load(paths: ["\(root)/scripts/estate"])
        cached = inv
        return inv
    }

    /// The drill's selection: both clusters, the payments/checkout/orders namespaces.
    static func selection() throws -> Selection {
        try inventory().select(SelectionRequest(roots: [aksID, eksARN], namespaces: ["payments", "checkout", "orders"]))
    }

    static func translate(mode: TranslationMode = .test, overrides: [String: String] = [:],
                          rules: [any TranslationStep] = []) throws -> Translation {
        let settings = TranslationSettings(to: recovery, mode: mode, overrides: overrides)
        return Translator(settings: settings, rules: rules).translate(try selection())
    }
}
