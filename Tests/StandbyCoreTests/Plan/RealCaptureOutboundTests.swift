import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// The outbound IPs of a real AKS capture (`rest/ManagedClustersGet.json`: two customer outbound
/// public IPs, and AKS's effective outbound IP in `MC_rg1`): each is named once where the plan
/// uses it, and a failover test — whose userDefinedRouting drops them — asks for none of them.
@Suite struct RealCaptureOutboundTests {
    static func plan(_ mode: TranslationMode) throws -> RecoveryPlan {
        let inv = try RealCaptureTests.load("rest/ManagedClustersGet.json")
        var plan = RealCaptureTests.plan(inv, mode)
        if mode == .test { plan.attach(try SandboxFirewallBuilder.build(plan: plan, allow: ["mcr.microsoft.com"])) }
        return plan
    }

    static func outboundTargets(_ plan: RecoveryPlan) -> [String] {
        plan.translation.assumed.map(\.sourceID).filter { $0.lowercased().contains("publicipaddresses") }
    }

    @Test func failoverNamesEachCustomerOutboundIPOnce() throws {
        let ips = Self.outboundTargets(try Self.plan(.failover))
        #expect(ips.count == 2, "\(ips)")
        #expect(Set(ips.map { $0.lowercased() }).count == ips.count, "each once: \(ips)")
        #expect(!ips.contains { $0.lowercased().contains("/mc_") }, "AKS's own effective outbound IP is not assumed")
    }

    @Test func aFailoverTestAsksForNoOutboundIPTheTemplateDrops() throws {
        let plan = try Self.plan(.test)
        #expect(Self.outboundTargets(plan).isEmpty, "\(Self.outboundTargets(plan))")
        let template = JSONSerializer.serialize(try #require(plan.azure).template)
        #expect(!template.contains("customeroutboundip"), "the template drops the outbound IPs, so none must exist")
        let md = PlanReport(plan).markdown
        let needs = try #require(md.range(of: "## Needs a person")), created = try #require(md.range(of: "## What will be created"))
        #expect(!md[needs.upperBound..<created.lowerBound].contains("customeroutboundip"),
                "Needs a person names no outbound IP the sandbox does not use")
        // The translated document still names them (the translation is recorded); only the template drops them.
        let cluster = try #require(plan.translation.resources.first { $0.source.type == ARMResourceTypes.managedClusters })
        #expect(cluster.document["properties"]?["networkProfile"]?["loadBalancerProfile"]?["outboundIPs"] != nil)
        // The sandbox's own egress IP is created by the plan, once.
        let egress = (plan.sandbox?.resources ?? []).filter { $0.type == "Microsoft.Network/publicIPAddresses" && $0.id.contains("pip-afw-") }
        #expect(egress.count == 1)
    }
}
