import Foundation
import Testing
@testable import StandbyCore

/// A (Cluster)RoleBinding's ServiceAccount subject in a namespace the selection does not select is
/// reported as an external reference, not pulled in (restored alone it would have no namespace).
@Suite struct BindingSubjectTests {
    static let yaml = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: app}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: monitoring}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: runner, namespace: app}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: prom, namespace: monitoring}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: prometheus, namespace: monitoring}
        spec:
          template:
            spec:
              serviceAccountName: prom
              containers: [{name: p, image: prom/prometheus}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: scrape, namespace: app}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: scrape, namespace: app}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: scrape}
        subjects:
        - {kind: ServiceAccount, name: runner}
        - {kind: ServiceAccount, name: prom, namespace: monitoring}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: view}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: everyone-views}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects:
        - {kind: ServiceAccount, name: runner, namespace: app}
        - {kind: ServiceAccount, name: prom, namespace: monitoring}
        """

    static let rb = k("rbac.authorization.k8s.io/RoleBinding/app/scrape")
    static let crb = k("rbac.authorization.k8s.io/ClusterRoleBinding/everyone-views")
    static let prom = k("core/ServiceAccount/monitoring/prom")
    static let runner = k("core/ServiceAccount/app/runner")

    /// The external references of a selection, as `from path → target`.
    static func external(_ s: Selection) -> [String] {
        s.dangling.filter { $0.reason != nil }.map { "\($0.from) \($0.path) → \($0.target)" }.sorted()
    }

    @Test func subjectInAnUnselectedNamespaceIsReportedNotPulledIn() throws {
        let inv = try TestEstate.aks(Self.yaml).load()
        let s = select(SelectionRequest(namespaces: ["app"]), in: inv)
        #expect(s.contains(Self.rb))
        #expect(s.contains(Self.runner))                          // same namespace as the binding: followed
        #expect(!s.contains(Self.prom))
        #expect(!s.contains(k("core/Namespace/monitoring")))
        // The ClusterRoleBinding comes through runner's "bound by"; its subject prom stays out too.
        #expect(s.contains(Self.crb))
        #expect(Self.external(s) == [
            "\(Self.crb) subjects[1] → ServiceAccount monitoring/prom",
            "\(Self.rb) subjects[1] → ServiceAccount monitoring/prom",
        ])
        let d = try #require(s.dangling.first { $0.reason != nil })
        #expect(d.relation == "subject" && d.expectedType == "ServiceAccount")
        let reason = try #require(d.reason)
        #expect(reason.contains("namespace monitoring") && reason.contains("does not select"))
        #expect(d.description.contains("external reference"))
        #expect(!d.description.contains("not in the inventory"))
    }

    @Test func subjectInASelectedNamespaceIsPulledIn() throws {
        let inv = try TestEstate.aks(Self.yaml).load()
        let s = select(SelectionRequest(namespaces: ["app", "aks1/monitoring"]), in: inv)
        #expect(s.contains(Self.prom))
        #expect(Self.external(s).isEmpty)
        #expect(s.dangling.isEmpty)
    }

    @Test func clusterRootDoesNotPullEveryBoundServiceAccount() throws {
        // A cluster root (no control plane here) selects the cluster-scoped objects and kube-system:
        // the ClusterRoleBinding comes, the ServiceAccounts of app and monitoring do not.
        let inv = try TestEstate.aks(Self.yaml).load()
        let s = select(SelectionRequest(roots: ["aks1"]), in: inv)
        #expect(s.contains(Self.crb))
        #expect(s.contains(k("rbac.authorization.k8s.io/ClusterRole/view")))
        #expect(!s.contains(Self.prom) && !s.contains(Self.runner))
        #expect(Self.external(s) == [
            "\(Self.crb) subjects[0] → ServiceAccount app/runner",
            "\(Self.crb) subjects[1] → ServiceAccount monitoring/prom",
        ])
    }

    @Test func subjectSelectedItselfOrBroughtInOtherwiseIsNotReported() throws {
        let inv = try TestEstate.aks(Self.yaml).load()
        // Selected itself by a tag rule: the binding's subject reference is satisfied.
        let byTag = select(SelectionRequest(namespaces: ["app"], tags: [try TagRule(["k8s:kind": "ServiceAccount", "k8s:name": "prom"])]), in: inv)
        #expect(byTag.contains(Self.prom))
        #expect(Self.external(byTag).isEmpty)
        // Pulled in by the Deployment that runs as it (selected by a tag rule): whichever the walker
        // reaches first, the result is the same and nothing is reported.
        let byWorkload = select(SelectionRequest(namespaces: ["app"], tags: [try TagRule(["k8s:kind": "Deployment"])]), in: inv)
        #expect(byWorkload.contains(Self.prom))
        #expect(byWorkload.why(Self.prom)?.last?.relation == "serviceAccount")
        #expect(Self.external(byWorkload).isEmpty)
    }
}
