import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// A Velero backup, written the way Velero writes one: format 1.1 (`metadata/version` "1.1.0"),
/// each object in the version-less folder and in its API group's `<version>-preferredversion`
/// folder, one HPA also in a non-preferred version (as with `--features=EnableAPIGroupVersions`).
/// Layout from Velero's "Output file format" documentation
/// (vmware-tanzu/velero `site/content/docs/main/output-file-format.md`); files are bare object JSON
/// at `resources/<resource>.<group>/namespaces/<ns>/<name>.json`, as Velero's own test tarballs
/// (`pkg/test/tar_writer.go`) write them. The version-less copies carry an annotation saying so, to
/// show which copy was read (in a real backup the copies are identical).
private struct VeleroFixture {
    let folder: TemporaryFolder
    let name: String
    var root: String { folder.path + "/" + name }

    init(name: String = "nightly-20261201") throws {
        folder = try TemporaryFolder()
        self.name = name
        try write("metadata/version", "1.1.0\n")
        for (resource, version, object) in Self.objects {
            try add(resource, version: version, object)
        }
        // With EnableAPIGroupVersions: the HPA in autoscaling/v1 too, a non-preferred version.
        try write("resources/horizontalpodautoscalers.autoscaling/v1/namespaces/shop/web.json",
                  Self.object("autoscaling/v1", "HorizontalPodAutoscaler", "shop", "web",
                              #""spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "maxReplicas": 5}"#))
    }

    static let objects: [(String, String, String)] = [
        ("namespaces", "v1", object("v1", "Namespace", nil, "shop", #""spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}"#)),
        ("namespaces", "v1", object("v1", "Namespace", nil, "tools", #""status": {"phase": "Active"}"#)),
        ("deployments.apps", "v1", object("apps/v1", "Deployment", "shop", "web", #"""
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
              "template": {"metadata": {"labels": {"app": "web"}},
                "spec": {"serviceAccountName": "web", "containers": [{"name": "web", "image": "registry.example/web:1.4",
                  "envFrom": [{"configMapRef": {"name": "web-config"}}]}]}}},
            "status": {"availableReplicas": 2}
            """#)),
        ("configmaps", "v1", object("v1", "ConfigMap", "shop", "web-config", #""data": {"MODE": "production"}"#)),
        ("serviceaccounts", "v1", object("v1", "ServiceAccount", "shop", "web", nil)),
        ("services", "v1", object("v1", "Service", "shop", "web",
                                  #""spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}], "clusterIP": "10.0.12.7"}"#)),
        ("horizontalpodautoscalers.autoscaling", "v2", object("autoscaling/v2", "HorizontalPodAutoscaler", "shop", "web",
            #""spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "minReplicas": 2, "maxReplicas": 5}"#)),
        ("deployments.apps", "v1", object("apps/v1", "Deployment", "tools", "debug", #"""
            "spec": {"selector": {"matchLabels": {"app": "debug"}}, "template": {"metadata": {"labels": {"app": "debug"}},
              "spec": {"containers": [{"name": "debug", "image": "busybox"}]}}}
            """#)),
    ]

    /// An object as Velero stores it: the API server's JSON, with uid, resourceVersion and status.
    static func object(_ apiVersion: String, _ kind: String, _ namespace: String?, _ name: String, _ rest: String?) -> String {
        let ns = namespace.map { #""namespace": "\#($0)", "# } ?? ""
        let body = rest.map { ", " + $0 } ?? ""
        return #"{"apiVersion": "\#(apiVersion)", "kind": "\#(kind)", "metadata": {"name": "\#(name)", \#(ns)"uid": "\#(UUID().uuidString.lowercased())", "resourceVersion": "4711", "creationTimestamp": "2026-12-01T02:00:00Z"}\#(body)}"#
    }

    /// Writes `object` in the version-less folder (marked as that copy) and in `<version>-preferredversion`.
    func add(_ resource: String, version: String, _ object: String) throws {
        let parsed = try JSONParser.parse(Data(object.utf8), source: "fixture")
        let name = try #require(parsed["metadata"]?["name"]?.stringValue)
        let scope = parsed["metadata"]?["namespace"]?.stringValue.map { "namespaces/\($0)" } ?? "cluster"
        let classic = object.replacingOccurrences(of: #""metadata": {"#, with: #""metadata": {"annotations": {"copy": "version-less"}, "#)
        try write("resources/\(resource)/\(scope)/\(name).json", classic)
        try write("resources/\(resource)/\(version)-preferredversion/\(scope)/\(name).json", object)
    }

    func write(_ relative: String, _ text: String) throws {
        try folder.write(name + "/" + relative, text)
    }

    /// `tar -czf <name>.tar.gz resources metadata`, from the backup's folder, as Velero's tarballs
    /// hold paths relative to the backup's root.
    func tarball(_ extra: [String] = [], from dir: String? = nil, members: [String] = ["resources", "metadata"]) throws -> String {
        let out = folder.path + "/" + name + ".tar.gz"
        try run("/usr/bin/tar", ["-czf", out] + extra + members, in: dir ?? root)
        return out
    }
}

/// Runs a real tool; fails the test when it fails.
private func run(_ tool: String, _ arguments: [String], in dir: String) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: dir)
    let err = Pipe()
    p.standardError = err
    try p.run()
    p.waitUntilExit()
    let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    try #require(p.terminationStatus == 0, "\(tool) \(arguments): \(message)")
}

/// The message of the error `body` throws, or nil.
private func failure(_ body: () throws -> Void) -> String? {
    do { try body() } catch { return "\(error)" }
    return nil
}

@Suite struct VeleroBackupTests {
    static let web = "k8s://nightly-20261201/apps/Deployment/shop/web"

    @Test func tarballLoadsOneCopyPerObjectAndSaysWhatItRead() throws {
        let fixture = try VeleroFixture()
        defer { fixture.folder.remove() }
        let tarball = try fixture.tarball()
        let inv = try InventoryLoader.load(path: tarball)
        #expect(inv.clusters.map(\.name) == ["nightly-20261201"])
        #expect(inv.count == VeleroFixture.objects.count)
        #expect(Set(inv.resources.map(\.id)) == [
            "k8s://nightly-20261201/core/Namespace/shop", "k8s://nightly-20261201/core/Namespace/tools",
            Self.web, "k8s://nightly-20261201/core/ConfigMap/shop/web-config",
            "k8s://nightly-20261201/core/ServiceAccount/shop/web", "k8s://nightly-20261201/core/Service/shop/web",
            "k8s://nightly-20261201/autoscaling/HorizontalPodAutoscaler/shop/web", "k8s://nightly-20261201/apps/Deployment/tools/debug",
        ])
        // The preferred version's copy, not the version-less one, nor the HPA's autoscaling/v1 copy.
        for r in inv.resources { #expect(r.document["metadata"]?["annotations"]?["copy"] == nil, "\(r.id) read from \(r.source)") }
        let hpa = try #require(inv.get("k8s://nightly-20261201/autoscaling/HorizontalPodAutoscaler/shop/web"))
        #expect(hpa.apiVersion == "autoscaling/v2")
        let web = try #require(inv.get(Self.web))
        #expect(web.source.path == tarball + "!resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json")
        // One note says what was read; no duplicate-id notes.
        #expect(inv.notes.count == 1, "\(inv.notes)")
        let note = try #require(inv.notes.first)
        #expect(note.hasPrefix(tarball + ": Velero backup \"nightly-20261201\" (format 1.1.0): read 8 objects of 6 resources"))
        #expect(note.contains("6 in 2 namespaces, 2 cluster-scoped"))
        #expect(note.contains("8 duplicate copies in the version-less folders"))
        #expect(note.contains("1 copy in non-preferred API versions"))
        #expect(note.contains("Velero's own files, not objects: metadata/version"))
        #expect(note.contains("no cluster was given, so the objects are filed under cluster \"nightly-20261201\""))
        #expect(!inv.notes.contains { $0.contains("duplicate id") })
    }

    @Test func namespaceOfABackupPlansWithManifestsFromTheBackup() throws {
        let fixture = try VeleroFixture()
        defer { fixture.folder.remove() }
        let inv = try InventoryLoader.load(path: try fixture.tarball())
        let selection = inv.select(SelectionRequest(namespaces: ["shop"]))
        #expect(selection.contains(Self.web))
        #expect(!selection.contains("k8s://nightly-20261201/apps/Deployment/tools/debug"))
        #expect(selection.dangling.isEmpty, "\(selection.dangling)")
        let translation = Translator(settings: TranslationSettings(to: SampleEstate.recovery, mode: .failover)).translate(selection)
        let plan = RecoveryPlan(translation)
        let set = try #require(plan.kubernetes.first { $0.cluster == "nightly-20261201" })
        #expect(Set(set.manifests.map(\.source)) == Set(selection.ids))
        let deployment = try #require(set.manifests.first { $0.source == Self.web })
        #expect(deployment.document["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"] == "registry.example/web:1.4")
        #expect(deployment.document["metadata"]?["annotations"]?["copy"] == nil)

        let out = FileManager.default.temporaryDirectory.appendingPathComponent("standby-velero-plan-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let written = try plan.write(to: out)
        let file = "kubernetes/\(PlanFile.safe("nightly-20261201"))/\(deployment.path)"
        #expect(written.contains(file), "\(written)")
        let yaml = try #require(FileManager.default.contents(atPath: out + "/" + file).map { String(decoding: $0, as: UTF8.self) })
        #expect(yaml.contains("registry.example/web:1.4") && yaml.contains("web-config"))
        #expect(!written.contains { $0.contains("/tools/") })
    }

    @Test func extractedFolderReadsLikeTheTarball() throws {
        let fixture = try VeleroFixture()
        defer { fixture.folder.remove() }
        let fromTar = try InventoryLoader.load(path: try fixture.tarball(), options: LoadOptions(cluster: "prod"))
        let fromFolder = try InventoryLoader.load(path: fixture.root, options: LoadOptions(cluster: "prod"))
        #expect(fromFolder.resources.map(\.id) == fromTar.resources.map(\.id))
        #expect(fromFolder.resources.map(\.document) == fromTar.resources.map(\.document))
        #expect(fromFolder.get("k8s://prod/apps/Deployment/shop/web")?.source.path
                == fixture.root + "/resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json")
        #expect(fromFolder.notes.count == 1)
        #expect(fromFolder.notes.first?.contains("read 8 objects") == true)
        #expect(fromFolder.notes.first?.contains("objects filed under cluster prod") == true)
    }

    @Test func estateNamesABackupForACluster() throws {
        let fixture = try VeleroFixture()
        defer { fixture.folder.remove() }
        _ = try fixture.tarball()
        let estate = try fixture.folder.write("estate.yaml", """
            name: from-velero
            sources: []
            clusters:
              - name: aks-prod
                cloud: azure
                kubernetes: [nightly-20261201.tar.gz]
            """)
        let inv = try InventoryLoader.load(path: estate)
        #expect(inv.clusters.map(\.name) == ["aks-prod"])
        #expect(inv.get("k8s://aks-prod/apps/Deployment/shop/web") != nil)
        #expect(inv.count == 8)
    }

    @Test func objectStorageFolderReadsTheTarballTheBackupResourceNames() throws {
        // `<bucket>/backups/<name>/`: velero-backup.json (shaped as in Velero's "Output file format"
        // example), the tarball, and one of Velero's records.
        let fixture = try VeleroFixture()
        defer { fixture.folder.remove() }
        let tarball = try fixture.tarball()
        let dir = fixture.folder.path + "/bucket/backups/nightly-20261201"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: tarball, toPath: dir + "/nightly-20261201.tar.gz")
        try fixture.folder.write("bucket/backups/nightly-20261201/velero-backup.json", """
            {"kind": "Backup", "apiVersion": "velero.io/v1",
             "metadata": {"name": "nightly-20261201", "namespace": "velero", "uid": "a12345cb-75f5-11e7-b4c2-abcdef123456"},
             "spec": {"includedNamespaces": ["*"], "excludedNamespaces": null, "snapshotVolumes": true, "ttl": "720h0m0s"},
             "status": {"version": 1, "formatVersion": "1.1.0", "phase": "Completed"}}
            """)
        try fixture.folder.write("bucket/backups/nightly-20261201/nightly-20261201-logs.gz", "not read")
        let inv = try InventoryLoader.load(path: fixture.folder.path + "/bucket")
        #expect(inv.count == 8)
        #expect(inv.clusters.map(\.name) == ["nightly-20261201"])
        #expect(inv.get(Self.web) != nil)
        #expect(inv.get("k8s://nightly-20261201/velero.io/Backup/velero/nightly-20261201") == nil)
        #expect(inv.notes.count == 2, "\(inv.notes)")
        #expect(inv.notes.first?.contains("nightly-20261201.tar.gz read; velero-backup.json (the Backup resource) names it") == true)
        #expect(inv.notes.first?.contains("not read: nightly-20261201-logs.gz") == true)
        // Without the tarball, the folder is refused, saying what is missing.
        try FileManager.default.removeItem(atPath: dir + "/nightly-20261201.tar.gz")
        let missing = failure { _ = try InventoryLoader.load(path: dir) }
        #expect(missing?.contains("holds no nightly-20261201.tar.gz") == true, "\(missing ?? "loaded")")
    }

    @Test func repackedWithItsFolderAndWithoutPreferredVersionFolders() throws {
        // Format 1 (Velero before 1.4): version-less folders only; re-packed with the backup's folder.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("old/resources/deployments.apps/namespaces/shop/web.json",
                         VeleroFixture.object("apps/v1", "Deployment", "shop", "web", nil))
        try folder.write("old/resources/persistentvolumes/cluster/pv-1.json", VeleroFixture.object("v1", "PersistentVolume", nil, "pv-1", nil))
        try run("/usr/bin/tar", ["-czf", "old.tgz", "old"], in: folder.path)
        let inv = try InventoryLoader.load(path: folder.path + "/old.tgz", options: LoadOptions(cluster: "c"))
        #expect(inv.resources.map(\.id).sorted() == ["k8s://c/apps/Deployment/shop/web", "k8s://c/core/PersistentVolume/pv-1"])
        #expect(inv.notes.count == 1)
        #expect(inv.notes.first?.contains("Velero backup \"old\": read 2 objects") == true)
        #expect(inv.notes.first?.contains("not read:") == false)
    }

    @Test func archivesAreBounded() throws {
        let fixture = try VeleroFixture()
        defer { fixture.folder.remove() }
        let tarball = try fixture.tarball()
        let entries = failure { _ = try InventoryLoader.load(path: tarball, options: LoadOptions(archiveLimits: ArchiveLimits(maximumEntries: 5))) }
        #expect(entries?.hasPrefix(tarball + ": entry ") == true, "\(entries ?? "loaded")")
        #expect(entries?.contains("more than 5 entries (ArchiveLimits.maximumEntries)") == true)
        let one = failure { _ = try InventoryLoader.load(path: tarball, options: LoadOptions(archiveLimits: ArchiveLimits(maximumEntryBytes: 200))) }
        #expect(one?.contains("more than 200") == true && one?.contains("ArchiveLimits.maximumEntryBytes") == true, "\(one ?? "loaded")")
        #expect(one?.contains(".json\"") == true)
        let total = failure { _ = try InventoryLoader.load(path: tarball, options: LoadOptions(archiveLimits: ArchiveLimits(maximumTotalBytes: 2000))) }
        #expect(total?.contains("ArchiveLimits.maximumTotalBytes") == true, "\(total ?? "loaded")")
        // The folder form is bounded alike.
        let folder = failure { _ = try InventoryLoader.load(path: fixture.root, options: LoadOptions(archiveLimits: ArchiveLimits(maximumTotalBytes: 2000))) }
        #expect(folder?.hasPrefix(fixture.root + ": entry ") == true, "\(folder ?? "loaded")")
    }

    @Test func entriesLeavingTheTreeAreRefused() throws {
        let fixture = try VeleroFixture()
        defer { fixture.folder.remove() }
        // `..` in a member name (GNU tar keeps it with -P).
        try fixture.folder.write("evil.json", "{}")
        let dotdot = failure { _ = try InventoryLoader.load(path: try fixture.tarball(["-P"], members: ["resources", "../evil.json"])) }
        #expect(dotdot?.contains("entry \"../evil.json\"") == true, "\(dotdot ?? "loaded")")
        #expect(dotdot?.contains("'..'") == true)
        // An absolute member name.
        let absolute = failure { _ = try InventoryLoader.load(path: try fixture.tarball(["-P"], members: ["resources", fixture.folder.path + "/evil.json"])) }
        #expect(absolute?.contains("an absolute path") == true, "\(absolute ?? "loaded")")
        // A symbolic link out of the tree, in the archive and in the folder.
        try FileManager.default.createSymbolicLink(atPath: fixture.root + "/resources/configmaps/namespaces/shop/passwd.json",
                                                   withDestinationPath: "/etc/passwd")
        let link = failure { _ = try InventoryLoader.load(path: try fixture.tarball()) }
        #expect(link?.contains("entry \"resources/configmaps/namespaces/shop/passwd.json\"") == true, "\(link ?? "loaded")")
        #expect(link?.contains("symbolic link out of the archive's tree (to /etc/passwd)") == true)
        let folderLink = failure { _ = try InventoryLoader.load(path: fixture.root) }
        #expect(folderLink?.contains("symbolic link out of the backup's folder (to /etc/passwd)") == true, "\(folderLink ?? "loaded")")
    }

    @Test func linksInsideTheTreeAreNotReadAndSaidSo() throws {
        let fixture = try VeleroFixture()
        defer { fixture.folder.remove() }
        try FileManager.default.createSymbolicLink(atPath: fixture.root + "/resources/configmaps/namespaces/shop/alias.json",
                                                   withDestinationPath: "web-config.json")
        let inv = try InventoryLoader.load(path: try fixture.tarball())
        #expect(inv.count == 8)
        #expect(inv.notes.contains { $0.contains("1 entry not read: resources/configmaps/namespaces/shop/alias.json: a symbolic link (to web-config.json)") },
                "\(inv.notes)")
    }

    @Test func whatIsNotABackupIsRefusedNamingTheArchive() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        try folder.write("manifests/app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
        try run("/usr/bin/tar", ["-czf", "manifests.tar.gz", "manifests"], in: folder.path)
        let notBackup = failure { _ = try InventoryLoader.load(path: folder.path + "/manifests.tar.gz", options: LoadOptions(cluster: "c")) }
        #expect(notBackup?.contains("manifests.tar.gz: not a Velero backup: no resources/ folder") == true, "\(notBackup ?? "loaded")")
        // Bytes that are no archive at all: libarchive's reason, not a YAML error about control characters.
        let junk = try folder.write("broken.tar.gz", "\u{1F}\u{8B} not really gzip")
        let broken = failure { _ = try InventoryLoader.load(path: junk) }
        #expect(broken?.hasPrefix(junk + ": ") == true, "\(broken ?? "loaded")")
        #expect(broken?.contains("control characters") == false)
        // An object filed under another namespace than its own.
        try folder.write("b/resources/configmaps/namespaces/shop/x.json", VeleroFixture.object("v1", "ConfigMap", "other", "x", nil))
        try run("/usr/bin/tar", ["-czf", "b.tar.gz", "resources"], in: folder.path + "/b")
        let misfiled = failure { _ = try InventoryLoader.load(path: folder.path + "/b/b.tar.gz") }
        #expect(misfiled?.contains("entry \"resources/configmaps/namespaces/shop/x.json\": metadata.namespace is \"other\"") == true,
                "\(misfiled ?? "loaded")")
    }
}

extension VeleroBackupTests {
    /// A tarball met while walking a folder (a folder of exports and backups) is read, not skipped.
    @Test func tarballInAWalkedFolderIsRead() throws {
        let fixture = try VeleroFixture()
        defer { fixture.folder.remove() }
        let tarball = try fixture.tarball()
        let exports = try TemporaryFolder()
        defer { exports.remove() }
        try FileManager.default.createDirectory(atPath: exports.path + "/backups", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: tarball, toPath: exports.path + "/backups/nightly-20261201.tar.gz")
        try exports.write("README.md", "not read\n")
        let inv = try InventoryLoader.load(path: exports.path)
        #expect(inv.count == VeleroFixture.objects.count)
        #expect(inv.get(Self.web) != nil)
        #expect(inv.notes.contains { $0.hasPrefix(exports.path + "/backups/nightly-20261201.tar.gz: Velero backup \"nightly-20261201\"") },
                "\(inv.notes)")
    }
}
