import Foundation

extension FuzzTarget {
    /// A kubeconfig, merged as ``Kubeconfig`` merges each file: a refusal is a
    /// ``KubeconfigError`` naming the file; accepted entries have names and real line numbers;
    /// merging the same text again under another name keeps the first file's entries.
    static func kubeconfig(_ text: String) throws -> Outcome {
        let t = FuzzTarget.kubeconfig
        var config = Kubeconfig()
        do {
            try config.merge(text: text, file: "fuzz/kubeconfig")
        } catch let error as KubeconfigError {
            try t.expect(error.message.contains("fuzz/kubeconfig"), "refusal does not name the file: \(excerpt(error.message))")
            return .refused
        }
        let entries = [config.clusters, config.contexts, config.users]
        for entry in entries.flatMap(\.values) {
            try t.expect(!entry.name.isEmpty, "an entry with an empty name was kept")
            try t.expect(entry.line.map { $0 >= 1 } ?? true, "entry \(excerpt(entry.name)) at line \(entry.line ?? 0)")
        }
        do {
            try config.merge(text: text, file: "fuzz/second")
        } catch {
            throw FuzzInvariantViolation(t, "the same text read a second time is refused: \(error)")
        }
        let again = [config.clusters, config.contexts, config.users]
        for (before, after) in zip(entries, again) {
            try t.expect(before.count == after.count && after.values.allSatisfy { $0.file == "fuzz/kubeconfig" },
                         "a second file with the same names replaced the first file's entries")
        }
        return .accepted
    }

    /// `estate.yaml`, through ``EstateManifest/init(contents:path:)`` (what
    /// ``EstateManifest/load(path:)`` runs on the file's bytes): a refusal names the file (and the
    /// line, for syntax); cluster names are non-empty and unique; every path resolves.
    static func estate(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Outcome {
        let t = FuzzTarget.estate
        let path = "fuzz/estate.yaml"
        let manifest: EstateManifest
        do {
            manifest = try EstateManifest(contents: Data(buffer: bytes), path: path)
        } catch let error as SyntaxError {
            try t.expectPositioned(error, "estate.yaml")
            return .refused
        } catch let error as InventoryLoadError {
            try t.expect("\(error)".contains(path), "refusal does not name the file: \(excerpt("\(error)"))")
            return .refused
        }
        let names = manifest.clusters.map(\.name)
        try t.expect(!names.contains("") && Set(names).count == names.count, "cluster names empty or repeated: \(names)")
        for relative in manifest.sources.map(\.path) + manifest.clusters.flatMap(\.kubernetes) {
            try t.expect(!manifest.resolve(relative).isEmpty, "path \(excerpt(relative)) resolves to nothing")
        }
        return .accepted
    }

    /// A recovery point's `manifest.json`, read as ``RecoveryPoint`` and ``PointCatalog`` read it
    /// (the catalog reads manifests of points that fail verification too): a refusal names the
    /// field; an accepted manifest's size adds up, and it writes to JSON that reads back equal.
    static func pointManifest(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Outcome {
        let t = FuzzTarget.pointManifest
        let json: JSONValue
        do {
            json = try JSONParser.parse(buffer: bytes, source: "manifest.json")
        } catch let error as SyntaxError {
            try t.expectPositioned(error, "manifest.json")
            return .refused
        }
        let manifest: PointManifest
        do {
            manifest = try PointManifest(json: json)
        } catch let error as PointFormat.FormatError {
            try t.expect(error.message.hasPrefix("manifest.json"), "refusal does not name the file: \(excerpt(error.message))")
            return .refused
        }
        // What the catalog adds up for every point, verified or not.
        try t.expect((manifest.objects + manifest.files).allSatisfy { $0.size >= 0 }, "a negative size was accepted")
        try t.expect(manifest.listedSize <= PointManifest.maximumListedSize, "listed size \(manifest.listedSize) beyond the maximum")
        let text = JSONSerializer.serialize(manifest.json)
        do {
            let again = try PointManifest(json: try JSONParser.parse(text))
            try t.expect(again == manifest, "manifest changes through its JSON: \(excerpt(text))")
        } catch let error as FuzzInvariantViolation {
            throw error
        } catch {
            throw FuzzInvariantViolation(t, "manifest written as JSON does not read back: \(error)")
        }
        return .accepted
    }
}
