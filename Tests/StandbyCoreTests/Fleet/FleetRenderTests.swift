import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// The example three-cluster fleet (AKS, EKS, a plain kubeconfig cluster) rendered both ways,
/// written to a temporary folder and checked with kubernetes-validate --strict and Argo's
/// published schema.
@Suite("standby fleet render: strictly valid objects, read-only RBAC, no secret value")
struct FleetRenderTests {
    static func fleet() throws -> FleetSpec { try FleetSpec.load(path: LocalServer.root + "/scripts/fleet/fleet.yaml") }

    static func written(_ scheduler: FleetRendering.Scheduler) throws -> (folder: String, rendering: FleetRendering) {
        let rendering = FleetRendering.render(try fleet(), as: scheduler)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("standby-render-\(UUID().uuidString)").path
        try rendering.write(to: folder)
        return (folder, rendering)
    }

    static func yamlFiles(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted().map { folder + "/" + $0 }
    }

    @Test func cronJobsValidateStrictly() throws {
        let (folder, rendering) = try Self.written(.cronjobs)
        #expect(rendering.files.map(\.name) == ["aks-prod-weu.yaml", "eks-prod-use1.yaml", "edge-plant-7.yaml"])
        let kinds = rendering.documents.compactMap { $0["kind"]?.stringValue }
        #expect(kinds.filter { $0 == "CronJob" }.count == 6, "a capture and a drill per cluster")
        guard let (status, output) = try ValidationScript.run("k8s.py", ["-k", "1.30.0"] + Self.yamlFiles(folder)) else { return }
        #expect(status == 0, "\(output)")
        #expect(output.contains("OK") && !output.contains("SKIP"))
    }

    @Test func argoCronWorkflowsValidateAgainstArgosPublishedSchema() throws {
        let (folder, rendering) = try Self.written(.argo)
        let schema = LocalServer.root + "/Tests/Fixtures/argo/argo-workflows-schema.json"
        guard let (status, output) = try ValidationScript.run("argo.py", ["--schema", schema] + Self.yamlFiles(folder)) else { return }
        #expect(status == 0, "\(output)")
        #expect(output.components(separatedBy: "OK ").count - 1 == 3, "three schedules, three CronWorkflows:\n\(output)")
        guard let (k8s, k8sOutput) = try ValidationScript.run("k8s.py", ["-k", "1.30.0", "--skip-kind", "CronWorkflow"] + Self.yamlFiles(folder)) else { return }
        #expect(k8s == 0, "\(k8sOutput)")
        // The six-hourly workflow fans out over the two clusters on that schedule, `concurrency` at once.
        let first = rendering.documents.first { $0["kind"] == "CronWorkflow" }
        #expect(first?["spec"]?["schedules"] == ["0 */6 * * *"])
        #expect(first?["spec"]?["concurrencyPolicy"] == "Forbid")
        #expect(first?["spec"]?["workflowSpec"]?["parallelism"] == 4)
        #expect(first?["spec"]?["workflowSpec"]?["templates"]?[0]?["steps"]?[0]?.arrayValue?.count == 2)
    }

    /// The checker is strict: an unknown field in a CronWorkflow fails it.
    @Test func argoCheckerRejectsAnUnknownField() throws {
        let (folder, rendering) = try Self.written(.argo)
        var docs = rendering.files[0].documents
        let i = docs.firstIndex { $0["kind"] == "CronWorkflow" }!
        var cron = docs[i].objectValue!, spec = cron["spec"]!.objectValue!
        spec["concurrencyPolicyy"] = "Forbid"
        cron["spec"] = .object(spec)
        docs[i] = .object(cron)
        try YAMLEmitter.emit(documents: docs).write(toFile: folder + "/bad.yaml", atomically: true, encoding: .utf8)
        let schema = LocalServer.root + "/Tests/Fixtures/argo/argo-workflows-schema.json"
        guard let (status, output) = try ValidationScript.run("argo.py", ["--schema", schema, folder + "/bad.yaml"]) else { return }
        #expect(status == 1 && output.contains("concurrencyPolicyy"), "\(output)")
    }

    @Test(arguments: FleetRendering.Scheduler.allCases)
    func everyClusterRoleOnlyReads(_ scheduler: FleetRendering.Scheduler) throws {
        let docs = FleetRendering.render(try Self.fleet(), as: scheduler).documents
        let roles = docs.filter { $0["kind"] == "ClusterRole" }
        #expect(roles.count == 3)
        for role in roles {
            for rule in role["rules"]?.arrayValue ?? [] {
                let verbs = Set((rule["verbs"]?.arrayValue ?? []).compactMap(\.stringValue))
                #expect(!verbs.isEmpty && verbs.isSubset(of: ["get", "list", "watch"]), "\(role["metadata"]?["name"] ?? nil): \(verbs)")
            }
        }
        // Every binding binds a read-only ClusterRole, or (Argo) the executor's Role.
        for binding in docs where binding["kind"] == "ClusterRoleBinding" {
            #expect(binding["roleRef"]?["name"]?.stringValue?.hasSuffix("-read") == true)
        }
        let writers = docs.filter { $0["kind"] == "Role" }
        if scheduler == .argo {
            #expect(writers.count == 1)
            #expect(writers.first?["rules"] == [["apiGroups": ["argoproj.io"], "resources": ["workflowtaskresults"], "verbs": ["create", "patch"]]])
        } else {
            #expect(writers.isEmpty)
        }
    }

    @Test(arguments: FleetRendering.Scheduler.allCases)
    func noSecretValueIsWritten(_ scheduler: FleetRendering.Scheduler) throws {
        let (folder, rendering) = try Self.written(scheduler)
        #expect(!rendering.documents.contains { $0["kind"] == "Secret" })
        var envs: [JSONValue] = [], volumes: [JSONValue] = []
        func walk(_ v: JSONValue) {
            if case .object(let o) = v {
                for (k, x) in o.pairs {
                    if k == "env" { envs += x.arrayValue ?? [] }
                    if k == "volumes" { volumes += x.arrayValue ?? [] }
                    walk(x)
                }
            } else if case .array(let a) = v { a.forEach(walk) }
        }
        rendering.documents.forEach(walk)
        #expect(!envs.isEmpty)
        for env in envs where env["name"]?.stringValue?.hasPrefix("AWS_") == true {
            #expect(env["value"] == nil && env["valueFrom"]?["secretKeyRef"]?["name"] != nil, "\(env)")
        }
        #expect(volumes.contains { $0["secret"]?["secretName"] == "standby-keys" })
        #expect(volumes.contains { $0["secret"]?["secretName"] == "edge-plant-7-kubeconfig" })
        // The in-cluster kubeconfig names the token's file, never a token.
        let text = try Self.yamlFiles(folder).map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()
        #expect(text.contains("tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token"))
        for inline in ["token:", "client-key-data", "BEGIN", "AWS_SECRET_ACCESS_KEY=", "stringData"] {
            #expect(!text.contains(inline), "\(inline)")
        }
    }

    @Test func theCronJobRunsTheFleetCommandWithThePolicyAndIsSized() throws {
        let docs = FleetRendering.render(try Self.fleet(), as: .cronjobs).documents
        let aks = docs.first { $0["kind"] == "CronJob" && $0["metadata"]?["name"] == "standby-aks-prod-weu" }
        let spec = aks?["spec"]
        #expect(spec?["concurrencyPolicy"] == "Forbid")
        #expect(spec?["jobTemplate"]?["spec"]?["backoffLimit"] == 2)
        #expect(spec?["jobTemplate"]?["spec"]?["activeDeadlineSeconds"] == 7200)
        let container = spec?["jobTemplate"]?["spec"]?["template"]?["spec"]?["containers"]?[0]
        #expect(container?["image"] == "standby:latest")
        let args = container?["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(Array(args.prefix(2)) == ["fleet", "run"])
        for (flag, value) in [("--keep-last", "8"), ("--keep-weekly", "4"), ("--lock", "governance"), ("--lock-days", "14"),
                              ("--store", "s3://contoso-dr-points/aks-prod-weu")] {
            #expect(args.firstIndex(of: flag).map { args[$0 + 1] } == value, "\(flag)")
        }
        let sizing = FleetSizing(objects: 12000)
        #expect(container?["resources"]?["requests"]?["memory"] == .string("\(sizing.memoryRequestMiB)Mi"))
        #expect(container?["resources"]?["limits"]?["memory"] == .string("\(sizing.memoryLimitMiB)Mi"))
    }

    @Test func writingReplacesTheFolderWhole() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("standby-render-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "old".write(toFile: folder + "/stale.yaml", atomically: true, encoding: .utf8)
        try FleetRendering.render(try Self.fleet(), as: .cronjobs).write(to: folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(names == ["README.txt", "aks-prod-weu.yaml", "edge-plant-7.yaml", "eks-prod-use1.yaml"])
        let readme = try String(contentsOfFile: folder + "/README.txt", encoding: .utf8)
        #expect(readme.contains("create the Secrets standby-keys, standby-store"))
    }
}

@Suite("The alert examples name only metrics a run exports")
struct FleetAlertTests {
    @Test func everyMetricInTheAlertsIsExported() throws {
        var metrics = RunMetrics(cluster: "c", cloud: "kubernetes", kind: "capture")
        metrics.lastSuccess = Date(); metrics.objects = 1; metrics.bytes = 1; metrics.volumes = 0; metrics.locked = true
        metrics.pointsKept = 1; metrics.pointsPruned = 0; metrics.pointsLockedKept = 0; metrics.drillSuccess = true
        let exported = Set(metrics.exposition().split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: "{").first.map(String.init) })
        let alerts = try YAMLDocuments.parse(try String(contentsOfFile: LocalServer.root + "/scripts/fleet/alerts.yaml", encoding: .utf8))[0]
        let rules = alerts["spec"]?["groups"]?[0]?["rules"]?.arrayValue ?? []
        #expect(rules.count == 5)
        for rule in rules {
            let expr = rule["expr"]?.stringValue ?? ""
            let names = expr.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).filter { $0.hasPrefix("standby_") }.map(String.init)
            #expect(!names.isEmpty && names.allSatisfy(exported.contains), "\(expr)")
        }
    }
}
