import Yams

/// One node of a `fleet.yaml` with its position, for errors that name `file:line:column`.
///
/// The fleet file is read from Yams' node tree (not through ``YAMLDocuments``' JSON values) so
/// that every field keeps the line it was written on. Anchors and aliases are expanded by Yams;
/// ``YAMLLimits`` is checked first, as for every YAML Standby reads.
struct FleetNode {
    let node: Node
    let file: String
    /// Where this node is, as `file:line:column`.
    var location: String {
        guard let mark = node.mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }

    /// The single document of `text`.
    static func root(_ text: String, file: String) throws -> FleetNode {
        let parser: Parser
        do {
            parser = try YAMLDocuments.parser(text, source: file)
            guard let node = try parser.singleRoot() else { throw FleetError(file, "the file is empty: it needs at least `clusters:`") }
            return FleetNode(node: node, file: file)
        } catch let error as YamlError {
            throw YAMLDocuments.syntaxError(error, source: file)
        }
    }

    func error(_ message: String) -> FleetError { FleetError(location, message) }

    /// The mapping's entries in order, refusing keys not in `allowed` (a typo is an error, not a
    /// field silently ignored) and keys given twice.
    func mapping(_ what: String, allowed: [String]) throws -> [(key: String, value: FleetNode)] {
        guard let mapping = node.mapping else { throw error("\(what) must be a mapping (key: value lines)") }
        var seen: Set<String> = []
        var out: [(key: String, value: FleetNode)] = []
        for (k, v) in mapping {
            let key = FleetNode(node: k, file: file)
            guard let name = k.scalar?.string else { throw key.error("\(what): keys must be plain names") }
            guard allowed.contains(name) else {
                throw key.error("\(what) has no field '\(name)'; the fields are: \(allowed.joined(separator: ", "))")
            }
            guard seen.insert(name).inserted else { throw key.error("\(what): '\(name)' is given twice") }
            out.append((name, FleetNode(node: v, file: file)))
        }
        return out
    }

    func sequence(_ what: String) throws -> [FleetNode] {
        guard let sequence = node.sequence else { throw error("\(what) must be a list (lines starting with '- ')") }
        return sequence.map { FleetNode(node: $0, file: file) }
    }

    func string(_ what: String) throws -> String {
        guard let scalar = node.scalar else { throw error("\(what) must be a string") }
        guard !scalar.string.isEmpty else { throw error("\(what) is empty") }
        return scalar.string
    }

    func int(_ what: String, minimum: Int = 0) throws -> Int {
        guard let scalar = node.scalar, scalar.style == .plain, let value = Int(scalar.string) else {
            throw error("\(what) must be a whole number, not '\(node.scalar?.string ?? "a \(node.mapping != nil ? "mapping" : "list")")'")
        }
        guard value >= minimum else { throw error("\(what) must be at least \(minimum), not \(value)") }
        return value
    }

    func bool(_ what: String) throws -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { throw error("\(what) must be true or false") }
        switch scalar.string {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw error("\(what) must be true or false, not '\(scalar.string)'")
        }
    }

    /// A mapping of string to string (labels, annotations).
    func stringMap(_ what: String) throws -> [(String, String)] {
        guard let mapping = node.mapping else { throw error("\(what) must be a mapping of names to strings") }
        return try mapping.map { k, v in
            (try FleetNode(node: k, file: file).string("\(what) key"), try FleetNode(node: v, file: file).string("\(what).\(k.scalar?.string ?? "")"))
        }
    }
}
