import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// The offline drill path on the sample estate: every PV-backed disk and EBS volume comes from its
/// snapshot copy; none is created empty; file systems get a step for a person.
@Suite struct VolumePlanTests {
    static let point = "contoso-20261207-0600"

    /// The ARM resources of the nested deployments, by recovery type.
    func templateResources(_ plan: RecoveryPlan, type: String) -> [JSONValue] {
        let outer = plan.azure?.template["resources"]?.arrayValue ?? []
        return outer.flatMap { $0[path: [.key("properties"), .key("template"), .key("resources")]]?.arrayValue ?? [] }
            .filter { $0["type"]?.stringValue?.lowercased() == type.lowercased() }
    }

    @Test func everyPVBackedDiskIsCreatedFromItsCopy() throws {
        let t = try SampleEstate.translate()
        let plan = RecoveryPlan(t)
        let disks = templateResources(plan, type: "Microsoft.Compute/disks")
        #expect(disks.count == 3)
        for d in disks {
            let creation = d[path: [.key("properties"), .key("creationData")]]
            #expect(creation?["createOption"]?.stringValue == "Copy")
            let source = try #require(creation?["sourceResourceId"]?.stringValue)
            #expect(source.hasPrefix("/subscriptions/\(SampleEstate.recoverySubscription)/resourceGroups/rg-payments-dr/"))
            #expect(source.hasSuffix("-\(Self.point)"))
            #expect(d["location"]?.stringValue == "northeurope")
            #expect(d["zones"]?.arrayValue == [.string("1")])
        }
        // No PV-backed disk created empty anywhere in the template.
        #expect(!JSONSerializer.serialize(plan.azure!.template).contains("\"Empty\""))
        // The node resource group is AKS's: the template waits for the cluster and never creates the group.
        let outer = plan.azure?.template["resources"]?.arrayValue ?? []
        #expect(!outer.contains { $0["type"]?.stringValue == "Microsoft.Resources/resourceGroups"
            && $0["name"]?.stringValue?.lowercased().hasPrefix("mc_") == true })
        let diskDeployments = outer.filter { $0["name"]?.stringValue?.hasPrefix("disks-") == true }
        #expect(diskDeployments.count == 3)
        for d in diskDeployments {
            #expect(d["dependsOn"]?.arrayValue?.contains { $0.stringValue?.hasPrefix("managedClusters-aks-prod-weu") == true } == true)
        }
    }

    @Test func persistentVolumesNameTheRestoredVolumes() throws {
        let t = try SampleEstate.translate()
        let plan = RecoveryPlan(t)
        let manifests = plan.kubernetes.flatMap(\.manifests).filter { $0.document["kind"]?.stringValue == "PersistentVolume" }
        let disks = Set(templateResources(plan, type: "Microsoft.Compute/disks").compactMap { $0["name"]?.stringValue })
        var azure = 0, ebs = 0
        for m in manifests {
            guard let v = t.volumes.restore(forPV: m.source), v.action == .fromCopy else { continue }
            let handle = try #require(m.document[path: v.source.pathComponents]?.stringValue)
            switch v.source.kind {
            case .azureDisk:
                azure += 1
                let id = try #require(ARMResourceID(handle))
                #expect(id.subscription == SampleEstate.recoverySubscription)
                #expect(disks.contains(id.name))
                #expect(JSONSerializer.serialize(m.document).contains("northeurope-1"))
            case .ebs:
                ebs += 1
                #expect(handle == v.pendingHandle)
                #expect(JSONSerializer.serialize(m.document).contains(v.recoveryZone ?? "?"))
            default: break
            }
        }
        #expect(azure == 3 && ebs == 2)
    }

    @Test func ebsVolumesAreCreatedFromTheirCopiesInTheRecoveryRegion() throws {
        let plan = RecoveryPlan(try SampleEstate.translate())
        let creates = plan.eks.flatMap(\.requests).filter { $0.operation == "CreateVolume" }
        #expect(creates.count == 2)
        for r in creates {
            #expect(r.service == "ec2" && r.region == "us-west-2" && r.account == SampleEstate.recoveryAccount)
            #expect(r.body["SnapshotId"]?.stringValue?.hasPrefix("snap-") == true)
            #expect(r.body["AvailabilityZone"]?.stringValue?.hasPrefix("us-west-2") == true)
            #expect(r.pending.values.contains("VolumeId"))
        }
        let gp3 = try #require(creates.first { $0.body["VolumeType"]?.stringValue == "gp3" })
        #expect(gp3.body["Iops"] == .int(3000))
    }

    @Test func reportShowsEachVolumeItsSnapshotAndTheRPO() throws {
        let t = try SampleEstate.translate()
        let report = PlanReport(RecoveryPlan(t))
        let md = report.markdown
        #expect(md.contains("## Volumes"))
        #expect(md.contains("RPO "))
        for r in t.volumes.restores where r.action == .fromCopy {
            #expect(md.contains(r.copy!.id))
        }
        #expect(report.rpoSeconds != nil)
        let taken = try #require(ISO8601DateFormatter().date(from: "2026-12-07T06:10:40Z"))
        // The oldest snapshot restored is the first disk's copy (the EBS copies are newer).
        // The export's timeCreated is 2026-12-07T06:10:40.1023000+00:00: the fraction counts.
        #expect(report.rpoSeconds == Int(t.volumes.asOf.timeIntervalSince(taken.addingTimeInterval(0.1023))))
        #expect(report.summaryJSON["rpo_seconds"]?.intValue != nil)
        #expect(report.jsonValue["volumes"]?.arrayValue?.count == t.volumes.restores.count)
    }

    @Test func fileSystemsGetAReplicationStepForAPerson() throws {
        let t = try SampleEstate.translate()
        let steps = t.volumes.restores.filter { $0.action == .replication }
        #expect(Set(steps.map(\.source.kind)) == [.efs, .azureFiles])
        let notes = RecoveryPlan(t).notes.map(\.message)
        #expect(notes.contains { $0.contains("create-replication-configuration") })
        #expect(notes.contains { $0.contains("azcopy copy") })
    }

    /// The estate without its snapshot copies (and with one copy left incomplete).
    func inventory(dropping drop: (Resource) -> Bool, editing edit: (inout Resource) -> Void = { _ in }) throws -> Inventory {
        let full = try SampleEstate.inventory()
        var inv = Inventory(clusters: full.clusters)
        for var r in full.resources where !drop(r) { edit(&r); inv.add(r) }
        return inv
    }

    func translate(_ inv: Inventory) throws -> Translation {
        let sel = try inv.select(SelectionRequest(roots: [SampleEstate.aksID, SampleEstate.eksARN],
                                                  namespaces: ["payments", "checkout", "orders"]))
        return Translator(settings: TranslationSettings(to: SampleEstate.recovery, mode: .test)).translate(sel)
    }

    @Test func withoutCopiesNoVolumeIsCreatedAndAPersonIsTold() throws {
        let inv = try inventory(dropping: { $0.type?.lowercased() == "microsoft.compute/snapshots" || $0.type == "AWS::EC2::Snapshot" })
        let t = try translate(inv)
        let plan = RecoveryPlan(t)
        #expect(templateResources(plan, type: "Microsoft.Compute/disks").isEmpty)
        #expect(!plan.eks.flatMap(\.requests).contains { $0.operation == "CreateVolume" })
        let blocked = t.volumes.restores.filter { $0.action == .needsPerson }
        #expect(blocked.count == 5)
        for b in blocked {
            #expect(plan.notes.contains { $0.subject == b.display && $0.message.contains("does not create it") })
        }
        #expect(PlanReport(plan).rpoSeconds == nil)
    }

    @Test func anIncompleteCopyIsNotUsed() throws {
        let pvc = "pvc-4e2b8a61-93c7-4d0f-8b25-7f1a6c3e9d02"
        let inv = try inventory(dropping: { _ in false }, editing: { r in
            guard r.type?.lowercased() == "microsoft.compute/snapshots", r.id.contains("0b9d4c3e"), r.id.contains(pvc) else { return }
            r.document.set([.key("properties"), .key("provisioningState")], "Failed")
        })
        let t = try translate(inv)
        let v = try #require(t.volumes.restores.first { $0.display.hasSuffix(pvc) })
        #expect(v.action == .needsPerson)
        #expect(v.message.contains("not complete"))
        // Its source-region snapshot is not in the recovery region: never used in its place.
        #expect(!templateResources(RecoveryPlan(t), type: "Microsoft.Compute/disks").contains { $0["name"]?.stringValue == pvc })
    }
}
