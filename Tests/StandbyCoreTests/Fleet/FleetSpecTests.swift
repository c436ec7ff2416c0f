import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// A fleet file in a temporary folder with the two example runbooks beside it.
func fleetFolder(_ yaml: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("standby-fleet-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for name in ["capture-cluster.lua", "drill-cluster.lua"] {
        try FileManager.default.copyItem(atPath: LocalServer.root + "/scripts/fleet/" + name, toPath: folder + "/" + name)
    }
    try yaml.write(toFile: folder + "/fleet.yaml", atomically: true, encoding: .utf8)
    return folder
}

@Suite("fleet.yaml: defaults, overrides and errors that say where")
struct FleetSpecTests {
    @Test func theExampleFleetResolvesEveryClusterWithItsDefaults() throws {
        let fleet = try FleetSpec.load(path: LocalServer.root + "/scripts/fleet/fleet.yaml")
        #expect(fleet.clusters.map(\.name) == ["aks-prod-weu", "eks-prod-use1", "edge-plant-7"])
        #expect(fleet.clusters.map(\.cloud) == [.aks, .eks, .kubernetes])
        let aks = fleet.clusters[0], eks = fleet.clusters[1], edge = fleet.clusters[2]
        #expect(aks.store == "s3://contoso-dr-points/aks-prod-weu", "{cluster} substituted")
        #expect(aks.immutability == ObjectLockPolicy(mode: .governance, days: 14))
        #expect(eks.immutability == ObjectLockPolicy(mode: .compliance, days: 30), "a cluster's own setting wins")
        #expect(edge.retention == RetentionPolicy(keepLast: 3, keepDailyDays: 7, keepWeeklyWeeks: 0))
        #expect(aks.retention == RetentionPolicy(keepLast: 8, keepDailyDays: 7, keepWeeklyWeeks: 4))
        #expect(edge.schedule.text == "15 2 * * *" && aks.schedule.text == "0 */6 * * *")
        #expect(aks.access == .inCluster)
        #expect(edge.access == .kubeconfig(secret: "edge-plant-7-kubeconfig", key: "config"))
        #expect(aks.objects == 12000 && eks.objects == 2000)
        #expect(aks.drill?.schedule.text == "30 4 * * 0")
        #expect(aks.runbookText.contains("standby.capture"))
        #expect(fleet.image == "standby:latest")
    }

    @Test func aMinimalFleetGetsTheBuiltInDefaults() throws {
        let folder = try fleetFolder("""
            defaults: { store: "s3://points/{cluster}" }
            clusters:
              - { name: one, cloud: kubernetes }
            """)
        let fleet = try FleetSpec.load(path: folder + "/fleet.yaml")
        let one = fleet.clusters[0]
        #expect(fleet.image == FleetSpec.defaultImage && fleet.namespace == "standby" && fleet.concurrency == 4)
        #expect(one.schedule.text == "0 */6 * * *")
        #expect(one.retention == RetentionPolicy(keepLast: 8, keepDailyDays: 7, keepWeeklyWeeks: 4))
        #expect(one.immutability == nil && one.keys == "standby-keys" && one.deadlineSeconds == 7200 && one.backoffLimit == 2)
        #expect(one.runbook.hasSuffix("/capture-cluster.lua"))
    }

    /// Each bad file fails with the file, line and column of what is wrong.
    @Test(arguments: [
        ("clusters:\n  - name: a\n    cloud: kubernetes\n    scheduel: '@daily'\n", "fleet.yaml:4:5", "has no field 'scheduel'"),
        ("defaults:\n  store: s3://p/x\n  schedule: '0 */6 * *'\nclusters:\n  - { name: a, cloud: kubernetes }\n", "fleet.yaml:3:13", "has 4 fields"),
        ("defaults: { store: s3://p/x }\nclusters:\n  - { name: a, cloud: kubernetes }\n  - { name: a, cloud: kubernetes }\n", "fleet.yaml:4:5", "listed twice"),
        ("defaults: { store: s3://p/x }\nclusters:\n  - name: a\n    cloud: aks\n    id: not-an-id\n", "fleet.yaml:5:9", "needs 'id'"),
        ("defaults: { store: s3://p/x }\nclusters:\n  - name: A_b\n    cloud: kubernetes\n", "fleet.yaml:3:11", "must be a Kubernetes name"),
        ("defaults: { store: s3://p/x, retention: { keep_daily: 3 } }\nclusters:\n  - { name: a, cloud: kubernetes }\n", "fleet.yaml:1:41", "needs 'keep_last'"),
        ("defaults: { store: s3://p/x, immutability: { mode: forever, days: 3 } }\nclusters:\n  - { name: a, cloud: kubernetes }\n", "fleet.yaml:1:44", "governance, compliance or none"),
        ("defaults: { store: s3://p/x, objects: many }\nclusters:\n  - { name: a, cloud: kubernetes }\n", "fleet.yaml:1:39", "whole number"),
        ("clusters:\n  - { name: a, cloud: kubernetes }\n", "fleet.yaml:2:5", "has no 'store'"),
        ("clusters:\n  - { name: a, cloud: gke, }\n", "fleet.yaml:2:23", "aks, eks or kubernetes"),
    ])
    func badFleetFilesSayWhere(_ yaml: String, _ location: String, _ message: String) throws {
        let folder = try fleetFolder(yaml)
        #expect {
            try FleetSpec.load(path: folder + "/fleet.yaml")
        } throws: { error in
            let text = "\(error)"
            return text.contains(folder + "/" + location) && text.contains(message)
        }
    }

    @Test func aMissingRunbookIsNamedWithThePathItWasLookedFor() throws {
        let folder = try fleetFolder("defaults: { store: s3://p/x, runbook: nightly.lua }\nclusters:\n  - { name: a, cloud: kubernetes }\n")
        #expect(throws: FleetError.self) { try FleetSpec.load(path: folder + "/fleet.yaml") }
        do { _ = try FleetSpec.load(path: folder + "/fleet.yaml") } catch {
            #expect("\(error)".contains("fleet.yaml:1:39") && "\(error)".contains(folder + "/nightly.lua"))
        }
    }

    @Test func cronSchedulesAreCheckedFieldByField() throws {
        for good in ["0 */6 * * *", "15 2 * * *", "30 4 * * 0", "0 0 1 jan *", "0 8-18/2 * * mon-fri", "@daily", "5,35 * * * *"] {
            #expect(throws: Never.self) { _ = try CronSchedule(good) }
        }
        for bad in ["60 * * * *", "* 24 * * *", "0 0 0 * *", "0 0 * 13 *", "0 0 * * 8", "*/0 * * * *", "0 5-2 * * *", "@sometimes", "0 * * *"] {
            #expect(throws: CronScheduleError.self, "\(bad)") { _ = try CronSchedule(bad) }
        }
        #expect(try CronSchedule("0 */6 * * *").period == 6 * 3600)
        #expect(try CronSchedule("15 2 * * *").period == 86_400)
        #expect(try CronSchedule("0 1,13 * * *").period == 12 * 3600)
        #expect(try CronSchedule("30 4 * * 0").period == 7 * 86_400)
    }

    @Test func jobsAreSizedFromTheObjectCount() {
        let small = FleetSizing(objects: 500), large = FleetSizing(objects: 100_000)
        #expect(small.memoryRequestMiB == 256 && small.memoryLimitMiB == 512 && small.cpuRequestMillis == 100)
        #expect(large.memoryRequestMiB == 2496, "128 MiB + 24 KiB × 100,000, rounded up to 64 MiB")
        #expect(large.memoryLimitMiB == 2 * large.memoryRequestMiB && large.luaMemoryMiB == large.memoryLimitMiB * 3 / 4)
        #expect(large.cpuRequestMillis == 1100 && large.instructionBudget == 5_000_000_000)
    }
}
