/// One resource of the template being built, before it is wrapped in its nested deployment.
struct ARMTemplateNode: Sendable {
    /// The recovery id.
    var id: ARMResourceID
    /// Canonical type (`Microsoft.Network/virtualNetworks`).
    var type: String
    /// The resource as the nested template holds it: `type`, `apiVersion`, `name`, … (no `dependsOn`).
    var body: JSONValue
    /// Secure parameters of the nested template: its own name → the outer template's parameter.
    var parameters: [(inner: String, outer: String)] = []
    /// Recovery ids it must be created after although its body does not name them
    /// (``AddedResource/dependsOn``, the previous subnet of the same VNet…).
    var after: [String] = []
    /// Recovery ids created with it: inline agent pools, subnets folded into a VNet.
    var alsoCreates: [String] = []

    var lowerType: String { type.lowercased() }
}

/// The dependencies between the resources of a template: resource A depends on B when B's
/// recovery id (or the id of something inside B, such as a subnet of a VNet) appears in A's body,
/// when B is A's ARM parent, or when A's ``ARMTemplateNode/after`` names B. A resource naming
/// itself or its own children (a VNet's inline subnet ids) names no dependency. Tags are not scanned:
/// they are labels, never something a deployment waits for (AGIC tags its gateway with the
/// cluster id, while the cluster names the gateway).
struct ARMDependencyGraph {
    /// `edges[a][b]`: where in `a`'s body `b` is named (`[(parent)]` or `[(dependsOn)]` otherwise).
    private(set) var edges: [[Int: [[JSONPathComponent]]]]
    private let index: [String: Int]

    static let parentPath: [JSONPathComponent] = [.key("(parent)")]
    static let afterPath: [JSONPathComponent] = [.key("(dependsOn)")]

    /// Builds the graph; `ignored` edges (from, to) are left out.
    init(_ nodes: [ARMTemplateNode], ignoring ignored: Set<[Int]> = []) {
        var index: [String: Int] = [:]
        for (n, node) in nodes.enumerated() { index[node.id.key] = n }
        self.index = index
        var edges = [[Int: [[JSONPathComponent]]]](repeating: [:], count: nodes.count)
        for (a, node) in nodes.enumerated() {
            func add(_ b: Int?, _ path: [JSONPathComponent]) {
                guard let b, b != a, !ignored.contains([a, b]) else { return }
                edges[a][b, default: []].append(path)
            }
            if let parent = node.id.parent { add(Self.resolve(parent, index), Self.parentPath) }
            for id in node.after { add(ARMResourceID(id).flatMap { Self.resolve($0, index) }, Self.afterPath) }
            // A resource naming itself or what it holds (a VNet's own subnets) names no dependency.
            for (path, id) in Self.references(in: node.body) where id != node.id && !id.isDescendant(of: node.id) {
                add(Self.resolve(id, index), path)
            }
        }
        self.edges = edges
    }

    /// The node that holds `id`: the node of that id, else of its nearest ARM ancestor.
    static func resolve(_ id: ARMResourceID, _ index: [String: Int]) -> Int? {
        var cursor: ARMResourceID? = id
        while let c = cursor {
            if let n = index[c.key] { return n }
            cursor = c.parent
        }
        return nil
    }

    /// The node index of a recovery id, or of its nearest ancestor in the template.
    func node(of id: String) -> Int? { ARMResourceID(id).flatMap { Self.resolve($0, index) } }

    /// Every ARM id named in `body` (values and keys, whole or embedded in an expression), with
    /// its path; `tags` are skipped.
    static func references(in body: JSONValue) -> [(path: [JSONPathComponent], id: ARMResourceID)] {
        var out: [(path: [JSONPathComponent], id: ARMResourceID)] = []
        body.forEachString { path, s, _ in
            guard path.first != .key("tags"), s.utf8.count >= 15 else { return }
            for token in armTokens(in: s) {
                if let id = ARMResourceID(token) { out.append((path, id)) }
            }
        }
        return out
    }

    private static let prefix = Array("/subscriptions/".utf8)

    /// The `/subscriptions/…` tokens of a string (compared case-insensitively), each up to a quote,
    /// blank, comma, bracket or other character an id never holds.
    static func armTokens(in s: String) -> [String] {
        let b = Array(s.utf8)
        var out: [String] = []
        var i = 0
        while i + prefix.count <= b.count {
            guard hasPrefix(b, at: i) else {
                i += 1
                continue
            }
            var j = i
            loop: while j < b.count {
                switch b[j] {
                case 0...32, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ","), UInt8(ascii: ";"),
                     UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
                     UInt8(ascii: "}"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "|"), UInt8(ascii: "<"),
                     UInt8(ascii: ">"), UInt8(ascii: "="), UInt8(ascii: "&"):
                    break loop
                default: j += 1
                }
            }
            var end = j
            while end > i, b[end - 1] == UInt8(ascii: "/") || b[end - 1] == UInt8(ascii: ".") { end -= 1 }
            out.append(String(decoding: b[i..<end], as: UTF8.self))
            i = max(j, i + 1)
        }
        return out
    }

    private static func hasPrefix(_ b: [UInt8], at i: Int) -> Bool {
        for k in 0..<prefix.count {
            var c = b[i + k]
            if c >= 65 && c <= 90 { c += 32 }
            if c != prefix[k] { return false }
        }
        return true
    }

    /// The nodes `a` depends on, in index order.
    func dependencies(of a: Int) -> [Int] { edges[a].keys.sorted() }

    /// A dependency cycle (`c[0] → c[1] → … → c[0]`), or nil when there is none. Deterministic:
    /// nodes are visited in index order.
    func cycle() -> [Int]? {
        var state = [UInt8](repeating: 0, count: edges.count)   // 0 new, 1 on the stack, 2 done
        var stack: [Int] = []
        func visit(_ a: Int) -> [Int]? {
            state[a] = 1
            stack.append(a)
            for b in dependencies(of: a) {
                if state[b] == 1, let start = stack.firstIndex(of: b) { return Array(stack[start...]) }
                if state[b] == 0, let c = visit(b) { return c }
            }
            stack.removeLast()
            state[a] = 2
            return nil
        }
        for a in edges.indices where state[a] == 0 {
            if let c = visit(a) { return c }
        }
        return nil
    }

    /// Every node after the nodes it depends on; among the nodes ready at each step, the lowest
    /// index first. Nodes caught in a cycle (there should be none) come last, in index order.
    func order() -> [Int] {
        var remaining = edges.map { Set($0.keys) }
        var dependents = [[Int]](repeating: [], count: edges.count)
        for (a, e) in edges.enumerated() { for b in e.keys { dependents[b].append(a) } }
        var ready = Set(remaining.indices.filter { remaining[$0].isEmpty })
        var done = [Bool](repeating: false, count: edges.count)
        var out: [Int] = []
        while let next = ready.min() {
            ready.remove(next)
            done[next] = true
            out.append(next)
            for d in dependents[next] {
                remaining[d].remove(next)
                if remaining[d].isEmpty, !done[d] { ready.insert(d) }
            }
        }
        for a in edges.indices where !done[a] { out.append(a) }
        return out
    }
}

/// Breaking the dependency cycles of a template. In order of preference:
///
/// 1. an inline agent pool that names a resource which itself waits for the cluster (a pool
///    created from a snapshot of another pool of the same cluster) leaves the cluster's
///    `agentPoolProfiles` and becomes an `agentPools` resource created after it;
/// 2. a read-only back-reference (an NSG's `subnets`, a public IP's `ipConfiguration`) is dropped
///    from the body: the service sets it, a PUT never takes it;
/// 3. a reference from a VNet's inline subnet (a route table whose route needs the firewall's
///    private IP, the firewall needing the VNet) moves to a subnet resource deployed after the
///    VNet: the VNet is created without it, the subnet resource adds it;
/// 4. otherwise the dependency is dropped from `dependsOn` (the body is unchanged) and a note says
///    the deployment may need a second run.
enum ARMCycleBreaker {
    /// Breaks every cycle of `nodes` (which it may edit and extend) and returns the acyclic graph.
    static func run(_ nodes: inout [ARMTemplateNode], notes: inout [PlanNote]) -> ARMDependencyGraph {
        var ignored: Set<[Int]> = []
        var graph = ARMDependencyGraph(nodes, ignoring: ignored)
        var guardCount = 0
        while let cycle = graph.cycle(), guardCount < 10_000 {
            guardCount += 1
            let pairs = cycle.indices.map { (cycle[$0], cycle[($0 + 1) % cycle.count]) }
            if pairs.contains(where: { extractPools(&nodes, from: $0.0, edge: graph.edges[$0.0][$0.1] ?? []) })
                || pairs.contains(where: { dropReadOnly(&nodes, from: $0.0, edge: graph.edges[$0.0][$0.1] ?? []) })
                || pairs.contains(where: { extractSubnets(&nodes, from: $0.0, edge: graph.edges[$0.0][$0.1] ?? []) }) {
                graph = ARMDependencyGraph(nodes, ignoring: ignored)
                continue
            }
            // Last resort: the edge that closes the cycle is not waited for.
            guard let (a, b) = pairs.last else { break }
            ignored.insert([a, b])
            let names = (cycle + [cycle[0]]).map { nodes[$0].id.name }.joined(separator: " → ")
            notes.append(PlanNote(subject: nodes[a].id.description, message: "dependency cycle \(names): the template "
                + "does not make \(nodes[a].id.name) wait for \(nodes[b].id.name); if the deployment fails on it, run it again"))
            graph = ARMDependencyGraph(nodes, ignoring: ignored)
        }
        return graph
    }

    // MARK: 1. Inline agent pools

    static let poolsPath: [JSONPathComponent] = [.key("properties"), .key("agentPoolProfiles")]

    /// Moves the inline pools named by `edge`'s paths out of a managed cluster, unless one of them
    /// is a System pool (AKS needs one at creation).
    static func extractPools(_ nodes: inout [ARMTemplateNode], from a: Int, edge: [[JSONPathComponent]]) -> Bool {
        guard nodes[a].lowerType == ARMResourceTypes.managedClusters.lowercased(), !edge.isEmpty else { return false }
        var indexes: Set<Int> = []
        for path in edge {
            guard path.count > 2, Array(path.prefix(2)) == poolsPath, case .index(let i) = path[2] else { return false }
            indexes.insert(i)
        }
        guard case .array(var pools)? = nodes[a].body[path: poolsPath] else { return false }
        guard indexes.allSatisfy({ pools.indices.contains($0) && pools[$0]["mode"]?.stringValue?.lowercased() != "system" })
        else { return false }
        let cluster = nodes[a]
        let existing = nodes.filter { $0.id.parent == cluster.id && $0.lowerType.hasSuffix("/agentpools") }.map(\.id.description)
        var previous = existing
        for i in indexes.sorted() {
            guard case .object(var profile) = pools[i], let name = profile["name"]?.stringValue,
                  let id = cluster.id.child(type: "agentPools", name: name),
                  let version = ARMResourceForm.templateAPIVersion(ARMResourceTypes.agentPools) else { return false }
            profile["name"] = nil
            let body: JSONValue = .object(JSONObject([
                ("type", .string(ARMResourceTypes.agentPools)), ("apiVersion", .string(version)),
                ("name", .string(ARMResourceForm.name(of: id))), ("properties", .object(profile)),
            ]))
            // AKS runs one operation on a cluster at a time: pools are created one after another.
            nodes.append(ARMTemplateNode(id: id, type: ARMResourceTypes.agentPools, body: body, after: previous))
            previous = [id.description]
            nodes[a].alsoCreates.removeAll { $0.lowercased() == id.key }
        }
        for i in indexes.sorted(by: >) { pools.remove(at: i) }
        nodes[a].body.set(poolsPath, .array(pools))
        return true
    }

    // MARK: 2. Read-only back-references

    /// Drops the read-only properties through which `edge` names its target, when every path of
    /// the edge is one.
    static func dropReadOnly(_ nodes: inout [ARMTemplateNode], from a: Int, edge: [[JSONPathComponent]]) -> Bool {
        var drops: [[JSONPathComponent]] = []
        for path in edge {
            guard let cut = path.indices.first(where: {
                ARMResourceForm.isReadOnly(Array(path[...$0]), type: nodes[a].type, resource: nil)
            }) else { return false }
            drops.append(Array(path[...cut]))
        }
        guard !drops.isEmpty else { return false }
        // Deepest first, and array elements from the end, so earlier paths stay valid.
        for path in Set(drops).sorted(by: { $0.count != $1.count ? $0.count > $1.count : $0.dotted > $1.dotted }) {
            nodes[a].body.set(path, nil)
        }
        return true
    }

    // MARK: 3. VNet subnets

    static let subnetsPath: [JSONPathComponent] = [.key("properties"), .key("subnets")]

    /// Moves the subnet references named by `edge` out of a VNet's inline subnets into subnet
    /// resources deployed after it (one after another: a VNet takes one subnet operation at a time).
    static func extractSubnets(_ nodes: inout [ARMTemplateNode], from a: Int, edge: [[JSONPathComponent]]) -> Bool {
        guard nodes[a].lowerType == "microsoft.network/virtualnetworks", !edge.isEmpty else { return false }
        var fields: [Int: Set<String>] = [:]
        for path in edge {
            guard path.count > 4, Array(path.prefix(2)) == subnetsPath, case .index(let i) = path[2],
                  path[3] == .key("properties"), case .key(let field) = path[4] else { return false }
            fields[i, default: []].insert(field)
        }
        guard case .array(let subnets)? = nodes[a].body[path: subnetsPath],
              let version = ARMResourceForm.templateAPIVersion("Microsoft.Network/virtualNetworks/subnets") else { return false }
        let vnet = nodes[a].id
        for (i, names) in fields.sorted(by: { $0.key < $1.key }) {
            guard subnets.indices.contains(i), let name = subnets[i]["name"]?.stringValue,
                  let id = vnet.child(type: "subnets", name: name) else { return false }
            if !nodes.contains(where: { $0.id == id }) {
                let chain = nodes.filter { $0.id.parent == vnet && $0.lowerType == "microsoft.network/virtualnetworks/subnets" }
                let body: JSONValue = .object(JSONObject([
                    ("type", "Microsoft.Network/virtualNetworks/subnets"), ("apiVersion", .string(version)),
                    ("name", .string(ARMResourceForm.name(of: id))),
                    ("properties", subnets[i]["properties"] ?? .object(JSONObject())),
                ]))
                nodes.append(ARMTemplateNode(id: id, type: "Microsoft.Network/virtualNetworks/subnets", body: body,
                                             after: chain.last.map { [$0.id.description] } ?? []))
                nodes[a].alsoCreates.removeAll { $0.lowercased() == id.key }
            }
            for field in names {
                nodes[a].body.set(subnetsPath + [.index(i), .key("properties"), .key(field)], nil)
            }
        }
        return true
    }
}
