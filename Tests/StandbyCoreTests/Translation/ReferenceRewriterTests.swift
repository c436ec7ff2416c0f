import Testing
@testable import StandbyCore

/// The string scanner on its own: a tiny inventory, one rewriter, exact outputs.
@Suite struct ReferenceRewriterTests {
    static let sub = "8f3c2a1e-5b7d-4c9a-9e21-3d6f0a4b7c15"
    static let tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"

    static func rewriter(overrides: [String: String] = [:], aws: AWSSite? = AWSSite(account: "999988887777", region: "us-west-2"),
                         tenant: String? = "5e1f2d3c-4b5a-4968-8776-a5b4c3d2e1f0") -> ReferenceRewriter {
        let vault = Resource(id: "/subscriptions/\(sub)/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kv-app",
                             identity: .arm(ARMResourceID("/subscriptions/\(sub)/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kv-app")!),
                             type: "Microsoft.KeyVault/vaults", name: "kv-app", region: "westeurope",
                             document: ["properties": ["tenantId": .string(Self.tenant)]], source: SourceRef(path: "t.json", document: 0))
        let registry = Resource(id: "/subscriptions/\(sub)/resourceGroups/rg-app/providers/Microsoft.ContainerRegistry/registries/crapp",
                                identity: .arm(ARMResourceID("/subscriptions/\(sub)/resourceGroups/rg-app/providers/Microsoft.ContainerRegistry/registries/crapp")!),
                                type: "Microsoft.ContainerRegistry/registries", name: "crapp", region: "westeurope",
                                document: [:], source: SourceRef(path: "t.json", document: 0))
        let inventory = Inventory(resources: [vault, registry])
        let source = SourceEnvironment(subscriptions: [sub], locations: ["westeurope"], tenants: [Self.tenant],
                                       accounts: ["111111111111"], regions: ["us-east-1"])
        let to = RecoveryEnvironment(azure: AzureSite(subscription: "0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d", location: "northeurope", tenant: tenant),
                                     aws: aws, resourceGroups: ["rg-app": "rg-app-dr"])
        let ids = RecoveryIDMap(resources: [vault, registry], inventory: inventory, to: to, source: source, overrides: overrides)
        return ReferenceRewriter(ids: ids)
    }

    @Test func armIDEmbeddedAnywhereIsRewrittenCaseInsensitively() {
        let r = Self.rewriter().rewrite("disk=/subscriptions/\(Self.sub)/resourcegroups/rg-app/providers/microsoft.compute/disks/d1, next")
        #expect(r.text == "disk=/subscriptions/0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d/resourceGroups/rg-app-dr/providers/microsoft.compute/disks/d1, next")
        #expect(r.edits.map(\.kind) == [.armID])
    }

    @Test func idsOfOtherSubscriptionsAndAccountsAreLeftAlone() {
        let other = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/x/providers/Microsoft.Network/virtualNetworks/v"
        let r = Self.rewriter().rewrite("\(other) arn:aws:iam::222233334444:role/x")
        #expect(r.text == "\(other) arn:aws:iam::222233334444:role/x")
        #expect(r.edits.isEmpty)
    }

    @Test func arnsInsideAYAMLBlockAndACommaList() {
        let yaml = "- rolearn: arn:aws:iam::111111111111:role/node\n  username: system:node:{{EC2PrivateDNSName}}\n"
        #expect(Self.rewriter().rewrite(yaml).text
                == "- rolearn: arn:aws:iam::999988887777:role/node\n  username: system:node:{{EC2PrivateDNSName}}\n")
        let list = Self.rewriter(overrides: ["subnet-0d3e4f5a6b7c8091a": "subnet-0aaaaaaaaaaaaaaa1"])
            .rewrite("subnet-0d3e4f5a6b7c8091a, subnet-0e4f5a6b7c8d9012b")
        #expect(list.text == "subnet-0aaaaaaaaaaaaaaa1, subnet-0e4f5a6b7c8d9012b")
        #expect(list.edits.count == 2)
        #expect(list.edits[1].after == nil)
        #expect(list.edits[1].reason?.contains("standby.map_id") == true)
    }

    @Test func generatedIdentifiersNeedAnOverride() {
        let cert = "arn:aws:acm:us-east-1:111111111111:certificate/4f6e2a1b-8c3d-4e5f-9a0b-1c2d3e4f5a6b"
        #expect(Self.rewriter().rewrite(cert).text == cert)
        let mapped = "arn:aws:acm:us-west-2:999988887777:certificate/00000000-0000-4000-8000-000000000001"
        #expect(Self.rewriter(overrides: [cert: mapped]).rewrite(cert).text == mapped)
        // EFS volume handle: file system and access point, each mapped by its own override.
        let handle = Self.rewriter(overrides: ["fs-0a1b2c3d4e5f67890": "fs-0ffffffffffffff01", "fsap-0f9e8d7c6b5a43210": "fsap-0eeeeeeeeeeeeee02"])
            .rewrite("fs-0a1b2c3d4e5f67890::fsap-0f9e8d7c6b5a43210")
        #expect(handle.text == "fs-0ffffffffffffff01::fsap-0eeeeeeeeeeeeee02")
    }

    @Test func imagesOfSourceRegistriesMoveOthersStay() {
        let rw = Self.rewriter()
        #expect(rw.rewrite("111111111111.dkr.ecr.us-east-1.amazonaws.com/orders/api:1.4.2").text
                == "999988887777.dkr.ecr.us-west-2.amazonaws.com/orders/api:1.4.2")
        let other = rw.rewrite("222233334444.dkr.ecr.us-east-1.amazonaws.com/shared/nginx:1.25")
        #expect(other.text == "222233334444.dkr.ecr.us-east-1.amazonaws.com/shared/nginx:1.25")
        #expect(other.edits.first?.reason?.contains("222233334444") == true)
        #expect(rw.rewrite("docker.io/library/redis:7").edits.isEmpty)
        #expect(rw.rewrite("crapp.azurecr.io/app/web:1").text == "crappdr.azurecr.io/app/web:1")
        #expect(rw.rewrite("crother.azurecr.io/app/web:1").text == "crother.azurecr.io/app/web:1")
    }

    @Test func keyVaultHostsGUIDsAndRegions() {
        let rw = Self.rewriter()
        #expect(rw.rewrite("https://kv-app.vault.azure.net/secrets/db").text == "https://kv-app-dr.vault.azure.net/secrets/db")
        #expect(rw.rewrite(Self.sub).text == "0b9d4c3e-7a61-4f2b-8c5d-1e2f3a4b5c6d")
        #expect(rw.rewrite(Self.tenant).text == "5e1f2d3c-4b5a-4968-8776-a5b4c3d2e1f0")
        #expect(rw.rewrite("--aws-region=us-east-1").text == "--aws-region=us-west-2")
        #expect(rw.rewrite("us-east-1a").text == "us-west-2a")
        #expect(rw.rewrite("westeurope-1").text == "northeurope-1")
        #expect(rw.rewrite("WestEurope").text == "northeurope")
        // Not whole words: left alone.
        #expect(rw.rewrite("us-east-10").edits.isEmpty)
        #expect(rw.rewrite("mywesteurope").edits.isEmpty)
    }

    @Test func missingRecoverySiteIsReportedNotGuessed() {
        let rw = Self.rewriter(aws: nil, tenant: nil)
        let r = rw.rewrite("arn:aws:iam::111111111111:role/x in us-east-1 for \(Self.tenant)")
        #expect(r.text == "arn:aws:iam::111111111111:role/x in us-east-1 for \(Self.tenant)")
        #expect(r.edits.count == 3)
        #expect(r.edits.allSatisfy { $0.after == nil && $0.reason != nil })
    }
}
