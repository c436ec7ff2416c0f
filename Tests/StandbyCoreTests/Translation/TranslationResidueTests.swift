import Foundation
import Testing
@testable import StandbyCore

/// The translated estate names no source subscription, account or region anywhere, except where
/// the report says the value was kept and why.
@Suite struct TranslationResidueTests {
    static var overrides: [String: String] {
        var o = KubernetesEKSTranslationTests.awsOverrides
        o["sg-0a9b8c7d6e5f40312"] = "sg-0b0000000000000c3"
        o["sg-0f1e2d3c4b5a69788"] = "sg-0b0000000000000d4"
        o["sg-0c7d6e5f4a3b20110"] = "sg-0b0000000000000e5"
        return o
    }

    static let needles = [SampleEstate.subscription, SampleEstate.account, "us-east-1", "westeurope"]

    @Test func everySourceStringLeftIsAccountedForInTheReport() throws {
        let t = try SampleEstate.translate(overrides: Self.overrides)
        var unaccounted: [String] = []
        var occurrences = 0
        for r in t.resources {
            let kept = Set(r.untranslated.map(\.path))
            r.document.forEachString { path, s, _ in
                let lower = s.lowercased()
                guard Self.needles.contains(where: { lower.contains($0) }) else { return }
                occurrences += 1
                let dotted = path.dotted
                let covered = kept.contains(dotted) || (r.source.kind == "Secret" && kept.contains("data"))
                if !covered { unaccounted.append("\(r.source.display) \(dotted) = \(s)") }
            }
        }
        #expect(occurrences > 0)
        #expect(unaccounted == [])
    }

    @Test func onlyTwoValuesNeedACustomerRule() throws {
        let t = try SampleEstate.translate(overrides: Self.overrides)
        let needRule = t.resources.flatMap { r in
            r.untranslated.filter { $0.reason.contains("no built-in or rule translates it") }.map { "\(r.source.display) \($0.path)" }
        }
        #expect(needRule.sorted() == [
            "ConfigMap orders/orders-api-config data.UPLOAD_BUCKET",
            "Ingress orders/orders-api metadata.annotations.alb.ingress.kubernetes.io/load-balancer-attributes",
        ])
    }

    @Test func everyKeptValueSaysWhatBecomesOfIt() throws {
        let t = try SampleEstate.translate(overrides: Self.overrides)
        func disposition(_ display: String, _ path: String) -> UntranslatedValue.Disposition? {
            t.resources.first { $0.source.display == display }?.untranslated.first { $0.path == path }?.disposition
        }
        #expect(disposition("Secret orders/orders-db", "data") == .encrypted)
        #expect(disposition("AWS::EC2::VPC vpc-eks-prod-use1", "OwnerId") == .serverSet)
        #expect(disposition("Deployment orders/orders-api", "spec.template.spec.containers[1].image") == .carriedAsIs)
        #expect(disposition("AWS::EKS::Nodegroup ng-general", "launchTemplate.id") == .carriedAsIs)
        #expect(disposition("ConfigMap orders/orders-api-config", "data.UPLOAD_BUCKET") == .needsPerson)
        // Only what needs a person reaches a plan's "Needs a person" list.
        let report = PlanReport(RecoveryPlan(t))
        #expect(report.needsPerson.allSatisfy { $0.value.disposition == .needsPerson })
        #expect(report.needsPerson.contains { $0.value.path == "data.UPLOAD_BUCKET" })
        #expect(!report.needsPerson.contains { $0.value.path == "OwnerId" || $0.value.path == "data" })
    }

    @Test func securityGroupPairsNameTheRecoveryAccount() throws {
        let t = try SampleEstate.translate(overrides: Self.overrides)
        let sg = try #require(t.resources.first { $0.source.name == "eks-cluster-sg-eks-prod-use1-1375930852" })
        let c = try #require(sg.changes.first { $0.path == "IpPermissions[0].UserIdGroupPairs[0].UserId" })
        #expect(c.before == "111111111111")
        #expect(c.after == "999988887777")
        #expect(c.by == "built-in: account ID")
    }

    @Test func translatingTwiceGivesTheSameResult() throws {
        let a = try SampleEstate.translate(overrides: Self.overrides)
        let b = try SampleEstate.translate(overrides: Self.overrides)
        #expect(a.resources.map(\.document) == b.resources.map(\.document))
        #expect(a.resources.map(\.changes) == b.resources.map(\.changes))
    }
}
