import Foundation
import Testing
@testable import StandbyCore

/// The sample estate in scripts/estate (see its README: "Deliberate dangling references").
@Suite("Selection: sample estate")
struct SelectionEstateTests {
    static let sub = "/subscriptions/8f3c2a1e-5b7d-4c9a-9e21-3d6f0a4b7c15"
    static let aks = "\(sub)/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu"
    static let eks = "arn:aws:eks:us-east-1:111111111111:cluster/eks-prod-use1"

    static func estate() throws -> Inventory? {
        guard let root = repositoryRoot(), FileManager.default.fileExists(atPath: "\(root)/scripts/estate/estate.yaml") else {
            Issue.record("scripts/estate/estate.yaml not found from \(#filePath)")
            return nil
        }
        return try InventoryLoader.load(path: "\(root)/scripts/estate")
    }

    static func ak(_ p: String) -> String { "k8s://aks-prod-weu/\(p)" }
    static func ek(_ p: String) -> String { "k8s://eks-prod-use1/\(p)" }

    @Test func bothClustersWithTheirNamespaces() throws {
        guard let inv = try Self.estate() else { return }
        let s = select(SelectionRequest(roots: [Self.aks, Self.eks], namespaces: ["payments", "checkout", "orders"]), in: inv)

        // README's deliberate dangling references #1, #2, #5 and #6. #3 (VNet peering to a hub in another
        // subscription) and #4 (a policy-assignment annotation on an excluded Gatekeeper constraint) are on
        // relations the walker does not follow.
        #expect(Set(s.dangling.map { "\($0.from) \($0.target)" }) == [
            "\(Self.ak("apps/Deployment/checkout/legacy-pricing")) ConfigMap checkout/pricing-rules",
            "\(Self.ek("batch/CronJob/orders/nightly-report")) Secret orders/reporting-smtp",
            "\(Self.ek("networking.k8s.io/Ingress/orders/orders-api")) arn:aws:acm:us-east-1:111111111111:certificate/4f6e2a1b-8c3d-4e5f-9a0b-1c2d3e4f5a6b",
            "\(Self.ek("networking.k8s.io/Ingress/orders/orders-api")) arn:aws:wafv2:us-east-1:111111111111:regional/webacl/orders-web-acl/7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f",
        ])
        #expect(s.dangling.count == 4)
        #expect(s.dangling.first { $0.target == "ConfigMap checkout/pricing-rules" }?.path
                == "spec.template.spec.containers[0].envFrom[0].configMapRef.name")

        // Azure Policy / Gatekeeper objects are kept out, with who wanted them.
        #expect(s.excluded.map(\.id) == [
            Self.ak("apps/Deployment/kube-system/azure-policy"),
            Self.ak("constraints.gatekeeper.sh/K8sAzureV2ContainerAllowedImages/azurepolicy-k8sazurev2containerallowedimages-5a1c2b3d4e5f60718293"),
            Self.ak("core/Namespace/gatekeeper-system"),
            Self.ak("core/ServiceAccount/kube-system/azure-policy"),
            Self.ak("templates.gatekeeper.sh/ConstraintTemplate/k8sazurev2containerallowedimages"),
        ])
        #expect(s.excluded.allSatisfy { $0.reason == "Azure Policy/Gatekeeper object" && $0.wantedBy.first?.from == Self.aks })
        #expect(!s.contains(Self.ak("apps/Deployment/gatekeeper-system/gatekeeper-controller")))

        // scratch is not selected; its Namespace object is cluster-scoped and comes with the cluster.
        #expect(!s.contains(Self.ak("apps/Deployment/scratch/echo")))
        #expect(s.contains(Self.ak("core/Namespace/scratch")))

        let explain: [(String, String)] = [
            ("\(Self.sub)/resourceGroups/MC_rg-payments-prod_aks-prod-weu_westeurope/providers/Microsoft.Compute/disks/disk-payments-ledger-archive",
             "managedClusters aks-prod-weu → cluster-scoped object → PersistentVolume pv-ledger-archive → Azure disk → disks disk-payments-ledger-archive"),
            ("\(Self.sub)/resourceGroups/rg-security-prod/providers/Microsoft.KeyVault/vaults/kv-aks-kms-prod/keys/etcd-kms",
             "managedClusters aks-prod-weu → KMS key → keys etcd-kms"),
            ("\(Self.sub)/resourceGroups/rg-payments-prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-payments-api-wi/federatedIdentityCredentials/payments-api",
             "ServiceAccount payments/payments-api → workload identity → userAssignedIdentities id-payments-api-wi → federated credential → federatedIdentityCredentials payments-api"),
            ("arn:aws:iam::111111111111:role/orders-api-irsa", "ServiceAccount orders/orders-api → IRSA role → IAM::Role orders-api-irsa"),
            // Reached by its access entry first (shorter than through aws-auth's mapUsers).
            ("arn:aws:iam::111111111111:user/ci-deployer",
             "EKS::Cluster eks-prod-use1 → access entry → EKS::AccessEntry arn:aws:iam::111111111111:user/ci-deployer → access entry principal → IAM::User ci-deployer"),
            (Self.ak("apps/Deployment/payments/api"), "Deployment payments/api (namespace payments)"),
        ]
        for (id, text) in explain { #expect(s.explain(id) == text, "\(id)") }
        let secret = try #require(inv.get("https://kv-payments-secrets.vault.azure.net/secrets/aks-win-admin-password") ??
            inv.find(ResourceQuery(type: "Microsoft.KeyVault/vaults/secrets", name: "aks-win-admin-password")).first)
        #expect(s.why(secret.id)?.map(\.relation) == ["admin password secret"])
        #expect(s.summary.dangling == 4)
    }

    @Test func namespaceOnlyAndTagSelections() throws {
        guard let inv = try Self.estate() else { return }
        // A workload as the only root pulls in what it needs, across cluster and cloud.
        let api = select(SelectionRequest(roots: [Self.ek("apps/Deployment/orders/orders-api")]), in: inv)
        #expect(api.contains("arn:aws:ecr:us-east-1:111111111111:repository/orders/api"))
        #expect(api.contains("arn:aws:iam::111111111111:role/orders-api-irsa"))
        #expect(api.dangling.isEmpty)
        // Tag rules over both clusters (no cluster root): every Ingress.
        let ingresses = select(SelectionRequest(tags: [try TagRule(["k8s:kind": "Ingress"])]), in: inv)
        #expect(ingresses.resources.filter { $0.kind == "Ingress" }.count == 2)
        #expect(ingresses.summary.selected == 2)
    }
}
