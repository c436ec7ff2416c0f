import Foundation
import Yams

/// A problem with a kubeconfig: a missing file, context, cluster or user, or a value that cannot
/// be used. The message names the file (and line, when known) and never holds a credential.
public struct KubeconfigError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// One or more kubeconfig files merged as kubectl merges them: for each cluster, context and user
/// name, and for `current-context`, the first file that sets it wins.
struct Kubeconfig {
    /// A named entry of `clusters`, `contexts` or `users`, with where it was read.
    struct Entry {
        var name: String
        /// The entry's `cluster`, `context` or `user` object.
        var body: JSONObject
        var file: String
        var line: Int?

        /// `path:line`.
        var location: String { line.map { "\(file):\($0)" } ?? file }
        /// The folder relative paths in the entry are resolved against.
        var folder: String { (file as NSString).deletingLastPathComponent }
    }

    /// The files that were read, in order.
    var files: [String] = []
    var currentContext: String?
    var clusters: [String: Entry] = [:]
    var contexts: [String: Entry] = [:]
    var users: [String: Entry] = [:]

    /// `a.yaml` or `a.yaml, b.yaml`.
    var fileList: String { files.isEmpty ? "(no kubeconfig file)" : files.joined(separator: ", ") }

    /// Reads and merges the files `settings` names.
    /// - Throws: ``KubeconfigError`` for a required file that is missing or unreadable, when no
    ///   file exists at all, or for a file that is not a YAML mapping.
    static func load(_ settings: KubeSettings) throws -> Kubeconfig {
        var config = Kubeconfig()
        let candidates = settings.kubeconfigFiles()
        for (path, required) in candidates {
            guard FileManager.default.fileExists(atPath: path) else {
                if required { throw KubeconfigError("kubeconfig \(path) does not exist") }
                continue
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeconfigError("kubeconfig \(path) cannot be read")
            }
            try config.merge(text: String(decoding: data, as: UTF8.self), file: path)
        }
        if config.files.isEmpty {
            throw KubeconfigError("none of the kubeconfig files in KUBECONFIG exists: \(candidates.map(\.path).joined(separator: ", "))")
        }
        return config
    }

    /// Adds one file's entries (those whose names are not taken yet).
    mutating func merge(text: String, file: String) throws {
        files.append(file)
        let documents: [JSONValue]
        do {
            documents = try YAMLDocuments.parse(text, source: file)
        } catch {
            throw KubeconfigError("kubeconfig \(error)")
        }
        guard let first = documents.first else { return } // an empty file is an empty config
        guard let root = first.objectValue else {
            throw KubeconfigError("kubeconfig \(file): expected a mapping at the top level, got a \(first.typeName)")
        }
        if currentContext == nil, let current = root["current-context"]?.stringValue, !current.isEmpty {
            currentContext = current
        }
        let lines = Kubeconfig.entryLines(text)
        for (section, key) in [("clusters", "cluster"), ("contexts", "context"), ("users", "user")] {
            guard let list = root[section] else { continue }
            guard let items = list.arrayValue else {
                if list.isNull { continue }
                throw KubeconfigError("kubeconfig \(file): \(section) is a \(list.typeName), not a list")
            }
            for (index, item) in items.enumerated() {
                guard let name = item["name"]?.stringValue, !name.isEmpty else {
                    let line = lines[section]?[index].map { ":\($0)" } ?? ""
                    throw KubeconfigError("kubeconfig \(file)\(line): \(section) entry \(index + 1) has no name")
                }
                let entry = Entry(name: name, body: item[key]?.objectValue ?? JSONObject(), file: file,
                                  line: lines[section]?[index] ?? nil)
                switch section {
                case "clusters": if clusters[name] == nil { clusters[name] = entry }
                case "contexts": if contexts[name] == nil { contexts[name] = entry }
                default: if users[name] == nil { users[name] = entry }
                }
            }
        }
    }

    /// The 1-based line of each entry of `clusters`, `contexts` and `users`, by position; empty
    /// when the text does not compose (the parse above reports that).
    static func entryLines(_ text: String) -> [String: [Int?]] {
        guard let root = try? YAMLDocuments.parser(text, source: "kubeconfig").nextRoot() else { return [:] }
        var out: [String: [Int?]] = [:]
        for section in ["clusters", "contexts", "users"] {
            guard let items = root[section]?.sequence else { continue }
            out[section] = items.map { $0.mark?.line }
        }
        return out
    }
}
