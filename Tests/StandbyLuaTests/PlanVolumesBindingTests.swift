import Foundation
import StandbyCore
@testable import StandbyLua
import Testing

/// `plan:volumes()` from Lua, on the sample estate (whose snapshot copies an earlier capture made).
@Suite("plan:volumes()")
struct PlanVolumesBindingTests {
    @Test("lists every PersistentVolume with cloud data, its copy and age, and the RPO in the summary")
    func volumesFromLua() throws {
        let r = try Fixture.run("""
            local standby = require "standby"
            local inv = standby.inventory.load("\(SandboxBindingTests.root)/scripts/estate")
            local sel = standby.select{ inventory = inv, roots = { "/subscriptions/8f3c2a1e-5b7d-4c9a-9e21-3d6f0a4b7c15/resourceGroups/rg-payments-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod-weu" }, namespaces = { "payments" } }
            local t = standby.translate{ selection = sel, mode = "test", to = { azure = { subscription = "0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d",
              location = "northeurope", resource_groups = { ["rg-payments-prod"] = "rg-payments-dr" } } } }
            local plan = standby.plan{ translation = t }
            local byAction, oldest = {}, 0
            for _, v in ipairs(plan:volumes()) do
              byAction[v.action] = (byAction[v.action] or 0) + 1
              if v.age_seconds and v.age_seconds > oldest then oldest = v.age_seconds end
            end
            return byAction, oldest == plan.summary.rpo_seconds, #plan:volumes()
            """).results
        #expect(r[0]["from_snapshot_copy"] == .int(3))
        #expect(r[0]["replication_step"] == .int(1))
        #expect(r[0]["needs_person"] == nil)
        #expect(r[1] == .bool(true))
        #expect(r[2] == .int(4))
    }
}
