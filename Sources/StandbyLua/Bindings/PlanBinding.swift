import Foundation
import StandbyCore

/// A recovery plan as Lua holds it (`standby.Plan`): a box, because attaching the sandbox
/// (`standby.sandbox.firewall{ plan = plan, ... }`) changes the plan every handle sees.
public final class PlanBox {
    public internal(set) var plan: RecoveryPlan
    /// The translation it was built from, as Lua holds it (`plan.translation`).
    let translation: TranslationObject

    init(_ plan: RecoveryPlan, translation: TranslationObject) {
        self.plan = plan
        self.translation = translation
    }

    /// The per-cluster timings of the last `plan:apply` (for `plan:verify`'s recovery time).
    var lastApply: [ApplyTiming] = []

    /// Adds the network sandbox to the plan.
    public func attach(_ firewall: SandboxFirewall) { plan.attach(firewall) }
}

extension LuaRuntime {
    /// The plan the last `standby.plan{...}` of this runtime built (what `standby plan` writes).
    public var lastPlan: RecoveryPlan? { bindings.lastPlan?.plan }

    func installPlanBinding() throws {
        installKubeVerbsBinding()
        defineClass("standby.Plan", for: PlanBox.self) { cls in
            cls.field("translation", push: { box, call in try call.push(object: box.translation) })
            cls.method("write") { box, call in
                let dir = try call.string(1)
                let opts = try OptionsTable(call, 2, function: "write", allowed: ["files"])
                let manifestFiles: Bool
                switch try opts.string("files") ?? "each" {
                case "each": manifestFiles = true
                case "all": manifestFiles = false
                case let other:
                    throw LuaArgumentError(argument: 2, function: "write",
                                           problem: "files must be \"each\" (a file per object and all.yaml, the default) or \"all\" (all.yaml only), got \"\(other)\"")
                }
                let written = try box.plan.write(to: dir, manifestFiles: manifestFiles)
                return try call.push(.array(written.map { .string($0) }))
            }
            cls.method("files") { box, call in try call.push(.array(box.plan.files.map { .string($0.path) })) }
            cls.method("report") { box, call in try call.push(PlanReport(box.plan).jsonValue) }
            cls.method("text") { box, call in try call.push(PlanReport(box.plan).markdown) }
            cls.method("volumes") { box, call in try call.push(PlanReport(box.plan).volumesJSON) }
            cls.method("apply") { box, call in try Self.applyPlan(box, call) }
            cls.method("verify") { box, call in try Self.verifyPlan(box, call) }
            cls.field("summary") { PlanReport($0.plan).summaryJSON }
            cls.field("notes") { box in .array(box.plan.notes.map { .object(JSONObject([("subject", .string($0.subject)), ("message", .string($0.message))])) }) }
            cls.field("addons") { box in Self.addons(box.plan) }
            cls.field("traffic") { PlanReport($0.plan).trafficJSON }
            cls.toString { box in
                let p = box.plan
                return "standby.Plan(\(p.azure?.creates.count ?? 0) Azure resources, \(p.eks.count) EKS clusters, "
                    + "\(p.kubernetes.reduce(0) { $0 + $1.manifests.count }) manifests)"
            }
        }
        try registerNativeModule("standby._plan", functions: [
            "plan": { call in
                try call.checkTable(1)
                _ = try OptionsTable(call, 1, function: "plan", allowed: [], opaque: ["translation", "traffic"])
                guard let t = try call.optionalObject(1, field: "translation", as: TranslationObject.self) else {
                    throw LuaArgumentError(argument: 1, function: "plan",
                                           problem: "field 'translation' is required: a standby.Translation (from standby.translate{...})")
                }
                let box = PlanBox(RecoveryPlan(t.translation), translation: t)
                // Traffic Manager, Front Door and registry replications are global: read where they
                // are now (an inventory), not from the recovery point. Registries plan without it.
                let traffic = try call.optionalObject(1, field: "traffic", as: InventoryObject.self)
                box.plan.route(traffic.map { TrafficSources($0.inventory) } ?? TrafficSources(resources: [], given: false))
                if let selection = t.selection {
                    box.plan.explanations = PlanPage.explanations(selection.selection, for: box.plan)
                }
                call.runtime.bindings.lastPlan = box
                return try call.push(object: box)
            },
        ])
    }

    /// Enabled AKS add-ons per recovery cluster name: `{ ["aks-prod-weu"] = { "omsagent", ... } }`.
    static func addons(_ plan: RecoveryPlan) -> JSONValue {
        var out: [(String, JSONValue)] = []
        for r in plan.translation.resources where r.source.type == ARMResourceTypes.managedClusters {
            let name = r.recoveryID.flatMap { ARMResourceID($0)?.name } ?? r.source.name ?? r.source.id
            let profiles = r.document["properties"]?["addonProfiles"]?.objectValue?.pairs ?? []
            let enabled = profiles.filter { $0.value["enabled"]?.boolValue == true }.map { JSONValue.string($0.key) }
            out.append((name, .array(enabled)))
        }
        return .object(JSONObject(out))
    }
}
