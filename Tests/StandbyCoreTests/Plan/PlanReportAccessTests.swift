import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// `report.md`'s access sections on the sample estate's drill selection.
@Suite("report.md: who can reach the recovered cluster, which workloads get which identity")
struct PlanReportAccessTests {
    static func markdown() throws -> String {
        PlanReport(RecoveryPlan(try SampleEstate.translate(mode: .failover, overrides: KubernetesEKSTranslationTests.awsOverrides))).markdown
    }

    /// The lines of the section headed `title`, up to the next heading.
    static func section(_ md: String, _ title: String) -> [String] {
        let lines = md.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "## \(title)") else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.hasPrefix("## ") })
    }

    @Test func whoCanReachTheRecoveredClusterListsEntriesAndAssignments() throws {
        let rows = Self.section(try Self.markdown(), "Who can reach the recovered cluster").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Cluster") }
        let account = SampleEstate.recoveryAccount
        #expect(rows.count == 7, "4 access entries, 3 role assignments: \(rows)")
        #expect(rows.contains { $0.contains("`arn:aws:iam::\(account):role/platform-admin`") && $0.contains("AmazonEKSClusterAdminPolicy (cluster)")
            && $0.contains("EKS plan step") })
        #expect(rows.contains { $0.contains("role/orders-developers") && $0.contains("groups orders-devs")
            && $0.contains("AmazonEKSEditPolicy (namespace (orders))") })
        #expect(rows.contains { $0.contains("user/ci-deployer") && $0.contains("left out: an IAM user") })
        #expect(rows.contains { $0.contains("role assignment") && $0.contains("Azure Kubernetes Service RBAC Cluster Admin") })
        #expect(rows.contains { $0.contains("group rg-payments-dr") && $0.contains("Azure Kubernetes Service Cluster User Role") })
    }

    @Test func whichWorkloadsGetWhichIdentityListsPodIdentityAddonsIRSAAndWorkloadIdentity() throws {
        let rows = Self.section(try Self.markdown(), "Which workloads get which cloud identity").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Cluster") }
        let account = SampleEstate.recoveryAccount
        #expect(rows.contains { $0.contains("`orders/orders-worker`") && $0.contains("role/orders-worker-pod-identity") && $0.contains("EKS plan step") })
        #expect(rows.contains { $0.contains("`kube-system/ebs-csi-controller-sa`") && $0.contains("created with its add-on") })
        #expect(rows.contains { $0.contains("add-on `vpc-cni`") && $0.contains("arn:aws:iam::\(account):role/eks-prod-use1-vpc-cni") })
        #expect(rows.contains { $0.contains("`orders/orders-api`") && $0.contains("IRSA annotation") && $0.contains(account) })
        #expect(rows.contains { $0.contains("`payments/payments-api`") && $0.contains("Azure workload identity") })
    }
}
