import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// Malformed ids in inventory files are refused with the file, document and reason, never kept as
/// resources (issue 12, defect 8).
@Suite struct MalformedIdentifierTests {
    /// The error of loading `text` as the file `name`, or nil when it loads.
    func error(_ name: String, _ text: String) throws -> (message: String, path: String)? {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let path = try tmp.write(name, text)
        do {
            let inventory = try InventoryLoader.load(path: path, options: LoadOptions(cluster: "c1"))
            Issue.record("loaded \(inventory.count) resources: \(inventory.resources.map(\.id))")
            return nil
        } catch {
            return ("\(error)", path)
        }
    }

    @Test func emptySegmentsInAnARMIDAreRefused() throws {
        let doc = #"{"id": "/subscriptions//resourceGroups//providers//", "type": "Microsoft.Network/virtualNetworks", "name": "v"}"#
        let e = try #require(try error("arm.json", doc))
        #expect(e.message == #"\#(e.path):1 (document 1): the id "/subscriptions//resourceGroups//providers//" has an empty segment ("//") after 'subscriptions': every segment needs a value"#)
    }

    @Test func anARMIDThatIsNotOneIsRefused() throws {
        let doc = #"[{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network", "type": "t", "name": "n"}]"#
        let e = try #require(try error("arm.json", doc))
        #expect(e.message.hasPrefix("\(e.path):1 (document 1, item 1): the id \"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network\" is not an ARM resource id: expected /subscriptions/{id}"))
    }

    @Test func aNULInAnARMIDIsRefused() throws {
        let doc = #"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v\u0000x", "type": "Microsoft.Network/virtualNetworks"}"#
        let e = try #require(try error("arm.json", doc))
        #expect(e.message.hasSuffix(#"virtualNetworks/v\0x" contains the control character U+0000"#), "\(e.message)")
    }

    @Test func anARNWithEmptyPartsIsRefused() throws {
        let e = try #require(try error("roles.json", #"{"Roles": [{"RoleName": "r", "Arn": "arn:::::"}]}"#))
        #expect(e.message == #"\#(e.path):1 (document 1, item 1): the id "arn:::::" has an empty partition (arn:aws:…, arn:aws-cn:…)"#)
    }

    @Test func anARNWithATypeButNoIDIsRefused() throws {
        let e = try #require(try error("cluster.json", #"{"cluster": {"name": "c", "arn": "arn:aws:eks:::cluster/"}}"#))
        #expect(e.message == #"\#(e.path):1 (document 1): the id "arn:aws:eks:::cluster/" has a resource type 'cluster' with an empty id after '/'"#)
    }

    @Test func aGenericListWithAMalformedARNIsRefusedNotSkipped() throws {
        let doc = #"{"Things": [{"ThingArn": "arn:aws:iot:us-east-1:111111111111:thing/a"}, {"ThingArn": "arn:aws:iot"}]}"#
        let e = try #require(try error("things.json", doc))
        #expect(e.message == #"\#(e.path):1 (document 1, item 2): the id "arn:aws:iot" has 3 of the six ':'-separated parts of arn:partition:service:region:account:resource"#)
    }

    @Test func aKubernetesNameWithANULIsRefused() throws {
        let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"a\\0b\", namespace: ns}\n"
        let e = try #require(try error("cm.yaml", yaml))
        #expect(e.message == #"\#(e.path):1 (document 1): the id "a\0b" (metadata.name) contains the control character U+0000"#)
    }

    @Test func wellFormedIDsStillLoad() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        try tmp.write("arm.json", #"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v", "type": "Microsoft.Network/virtualNetworks"}"#)
        try tmp.write("roles.json", #"{"Roles": [{"RoleName": "r", "Arn": "arn:aws:iam::111111111111:role/r"}]}"#)
        try tmp.write("bucket.json", #"{"Buckets": [{"BucketArn": "arn:aws:s3:::my-bucket"}]}"#)
        let inventory = try InventoryLoader.load(path: tmp.path)
        #expect(inventory.count == 3)
    }

    @Test func arnParsingRefusesWhatTheCheckRefuses() {
        #expect(ARN("arn:::::") == nil)
        #expect(ARN("arn:aws:eks:::cluster/") == nil)
        #expect(ARN("arn:aws:eks:us-east-1:1:cluster/prod\u{0}") == nil)
        #expect(ARN("arn:aws:eks:us-east-1:111111111111:cluster/prod")?.resourceID == "prod")
        #expect(ARN("arn:aws:s3:::bucket")?.resource == "bucket")
    }
}
