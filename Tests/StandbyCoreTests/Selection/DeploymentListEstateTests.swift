import Foundation
import Testing
import StandbyCore
import StandbyTestSupport

/// The bench's generated estate (`standby-bench generate N FILE`): a kubectl List of Deployments,
/// the same bytes for the same N, written atomically.
@Suite struct DeploymentListEstateTests {
    @Test func aListOfDeploymentsWithTheirReferences() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let file = tmp.path + "/list.json"
        try DeploymentListEstate.write(count: 205, to: file)
        let list = try JSONParser.parse(try #require(FileManager.default.contents(atPath: file)), source: file)
        #expect(list["apiVersion"] == "v1" && list["kind"] == "List")
        let items = try #require(list["items"]?.arrayValue)
        #expect(items.count == 205)
        #expect(items.map { $0["metadata"]?["name"]?.stringValue } == (0..<205).map { "app\($0)" })
        let last = items[204]
        #expect(last["metadata"]?["namespace"] == "ns4")
        #expect(last["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"] == "111111111111.dkr.ecr.us-east-1.amazonaws.com/team/app204:1.4")
        #expect(Set(items.compactMap { $0["metadata"]?["labels"]?["tier"]?.stringValue }) == ["web", "api", "batch"])

        // Loaded as an estate: every Deployment, namespaced; its ConfigMap, Secret, ServiceAccount
        // and PVC are not in the list, so the walk reports them dangling.
        let inventory = try InventoryLoader.load(path: file, options: LoadOptions(cluster: "bench"))
        #expect(inventory.count == 205)
        #expect(inventory.find(ResourceQuery(kind: "Deployment", namespace: "ns4")).count == 2)
        let selection = inventory.select(SelectionRequest(namespaces: ["ns7"]))
        #expect(Set(selection.dangling.map(\.target)) == ["ConfigMap ns7/cm7", "Secret ns7/sec7", "ServiceAccount ns7/sa7",
                                                           "PersistentVolumeClaim ns7/pvc7"])
    }

    @Test func theSameCountGivesTheSameBytesAndNothingBesideTheFile() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        try DeploymentListEstate.write(count: 50, to: tmp.path + "/a.json")
        try DeploymentListEstate.write(count: 50, to: tmp.path + "/b.json")
        try DeploymentListEstate.write(count: 51, to: tmp.path + "/a.json") // replaces it
        try DeploymentListEstate.write(count: 50, to: tmp.path + "/a.json")
        #expect(FileManager.default.contents(atPath: tmp.path + "/a.json") == FileManager.default.contents(atPath: tmp.path + "/b.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).sorted() == ["a.json", "b.json"])
    }

    @Test func aFileThatCannotBeWrittenIsNamedAndNothingIsLeft() throws {
        let tmp = try TemporaryFolder()
        defer { tmp.remove() }
        let blocked = tmp.path + "/taken"
        try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: false)
        let error = #expect(throws: DeploymentListEstate.GenerateError.self) {
            try DeploymentListEstate.write(count: 10, to: blocked)
        }
        #expect(error?.description.hasPrefix("cannot write \(blocked): ") == true, "\(String(describing: error))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path) == ["taken"])
        #expect(throws: DeploymentListEstate.GenerateError.self) {
            try DeploymentListEstate.write(count: 10, to: tmp.path + "/no-such-folder/list.json")
        }
    }
}
