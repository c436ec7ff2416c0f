import Foundation

/// Where a ``PlanGraph``'s nodes and edges go on the page, in SVG pixels: from Graphviz (`dot
/// -Tplain`, run by the host as a child process with the graph on its standard input; Lua never
/// reaches it) or, when `dot` is absent or fails, from a small column layout of its own.
///
/// Only node keys (`n0`…) and sizes go to `dot`: the labels, which are resource names and so
/// hostile input, never do. The SVG is written here, every text escaped (``PlanPage/escape(_:)``).
public struct GraphLayout: Sendable {
    public struct Box: Sendable, Hashable { public var x, y, width, height: Double }

    public var width: Double
    public var height: Double
    /// By node position.
    public var boxes: [Box]
    /// An SVG path (`d`) per edge.
    public var edges: [String]
    /// `Graphviz dot 2.43.0`, or why the inline layout was used.
    public var engine: String

    /// Characters of a node label, in pixels (11 px sans-serif), and the node height.
    static let charWidth = 6.2
    static let nodeHeight = 22.0

    static func labelWidth(_ label: String) -> Double { max(60, Double(label.count) * charWidth + 16) }

    /// Lays out `graph` with `dot` when found on `PATH` (or at `dotPath`), else inline.
    public static func make(_ graph: PlanGraph, dotPath: String? = nil) -> GraphLayout {
        guard !graph.nodes.isEmpty else { return GraphLayout(width: 0, height: 0, boxes: [], edges: [], engine: "no nodes") }
        guard let dot = dotPath ?? findDot() else { return inline(graph, reason: "inline layout: Graphviz dot was not found") }
        switch runDot(dot, graph) {
        case .success(let layout): return layout
        case .failure(let e): return inline(graph, reason: "inline layout: Graphviz dot failed (\(e.message))")
        }
    }

    static func findDot() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/dot"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    struct DotError: Error { var message: String }

    /// The DOT text: one rank per layer, fixed-size boxes of each label's width, keys only.
    static func dotText(_ graph: PlanGraph) -> String {
        var lines = ["digraph plan {", "  rankdir=LR; nodesep=0.08; ranksep=0.9;",
                     "  node [shape=box, fixedsize=true, height=\(nodeHeight / 72), label=\"\"];"]
        for layer in PlanGraph.Layer.allCases {
            let keys = graph.nodes.filter { $0.layer == layer }
            guard !keys.isEmpty else { continue }
            lines.append("  { rank=same; " + keys.map { "\($0.key) [width=\(labelWidth($0.label) / 72)];" }.joined(separator: " ") + " }")
        }
        for e in graph.edges { lines.append("  \(graph.nodes[e.from].key) -> \(graph.nodes[e.to].key);") }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    static func runDot(_ dot: String, _ graph: PlanGraph) -> Result<GraphLayout, DotError> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-Tplain"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { return .failure(DotError(message: "cannot start \(dot): \(error.localizedDescription)")) }
        let text = Data(dotText(graph).utf8)
        // The graph goes in on another thread while the layout is read: neither pipe can fill up.
        let writer = BackgroundJob { () throws -> Bool in
            input.fileHandleForWriting.write(text)
            try? input.fileHandleForWriting.close()
            return true
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        writer.join()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let first = String(decoding: err, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            return .failure(DotError(message: "exit \(process.terminationStatus)\(first.isEmpty ? "" : ": " + first)"))
        }
        var version = "Graphviz dot"
        if let v = dotVersion(dot) { version += " " + v }
        return parsePlain(String(decoding: out, as: UTF8.self), graph, engine: version)
    }

    /// `2.43.0` from `dot -V` (it prints to standard error).
    static func dotVersion(_ dot: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-V"]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let r = text.range(of: "version ") else { return nil }
        return text[r.upperBound...].split(separator: " ").first.map(String.init)
    }

    /// Reads `dot -Tplain` (inches, y up): `graph scale w h`, `node key x y w h …`, `edge a b n x1 y1 … xn yn …`.
    static func parsePlain(_ text: String, _ graph: PlanGraph, engine: String) -> Result<GraphLayout, DotError> {
        let position = Dictionary(uniqueKeysWithValues: graph.nodes.enumerated().map { ($1.key, $0) })
        var boxes = [Box?](repeating: nil, count: graph.nodes.count)
        var edges: [String] = []
        var height = 0.0, width = 0.0
        let margin = 8.0
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ").map(String.init)
            guard let head = f.first else { continue }
            switch head {
            case "graph" where f.count >= 4:
                width = (Double(f[2]) ?? 0) * 72 + 2 * margin
                height = (Double(f[3]) ?? 0) * 72 + 2 * margin
            case "node" where f.count >= 6:
                guard let n = position[f[1]], let x = Double(f[2]), let y = Double(f[3]), let w = Double(f[4]),
                      let h = Double(f[5]) else { continue }
                boxes[n] = Box(x: x * 72 - w * 36 + margin, y: height - margin - y * 72 - h * 36, width: w * 72, height: h * 72)
            case "edge" where f.count >= 4:
                guard let count = Int(f[3]), count >= 2, f.count >= 4 + 2 * count else { continue }
                var points: [(Double, Double)] = []
                for i in 0..<count {
                    let x = Double(f[4 + 2 * i]) ?? 0, y = Double(f[5 + 2 * i]) ?? 0
                    points.append((x * 72 + margin, height - margin - y * 72))
                }
                var d = String(format: "M%.1f,%.1f", points[0].0, points[0].1)
                var i = 1
                while i + 2 < points.count {
                    d += String(format: " C%.1f,%.1f %.1f,%.1f %.1f,%.1f", points[i].0, points[i].1, points[i + 1].0,
                                points[i + 1].1, points[i + 2].0, points[i + 2].1)
                    i += 3
                }
                if i < points.count { for p in points[i...] { d += String(format: " L%.1f,%.1f", p.0, p.1) } }
                edges.append(d)
            default: continue
            }
        }
        guard width > 0, boxes.allSatisfy({ $0 != nil }) else {
            return .failure(DotError(message: "its layout did not place every node"))
        }
        return .success(GraphLayout(width: width, height: height, boxes: boxes.compactMap { $0 }, edges: edges, engine: engine))
    }

    /// Columns by layer, nodes one under another, straight edges.
    static func inline(_ graph: PlanGraph, reason: String) -> GraphLayout {
        var boxes = [Box](repeating: Box(x: 0, y: 0, width: 0, height: 0), count: graph.nodes.count)
        var x = 8.0, tallest = 0.0
        for layer in PlanGraph.Layer.allCases {
            let members = graph.nodes.indices.filter { graph.nodes[$0].layer == layer }
            guard !members.isEmpty else { continue }
            let w = members.map { labelWidth(graph.nodes[$0].label) }.max() ?? 60
            for (row, n) in members.enumerated() {
                boxes[n] = Box(x: x, y: 8 + Double(row) * (nodeHeight + 6), width: labelWidth(graph.nodes[n].label), height: nodeHeight)
            }
            tallest = max(tallest, 8 + Double(members.count) * (nodeHeight + 6))
            x += w + 90
        }
        let edges = graph.edges.map { e -> String in
            let a = boxes[e.from], b = boxes[e.to]
            return String(format: "M%.1f,%.1f L%.1f,%.1f", a.x + a.width, a.y + a.height / 2, b.x, b.y + b.height / 2)
        }
        return GraphLayout(width: x, height: tallest + 8, boxes: boxes, edges: edges, engine: reason)
    }

    /// The SVG of `graph` placed by this layout: a `g.node` per node (`data-node` its key), escaped labels.
    public func svg(_ graph: PlanGraph) -> String {
        var s = String(format: "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"graph-svg\" width=\"%.0f\" height=\"%.0f\" "
            + "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"dependency graph\">", width, height, width, height)
        s += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" "
            + "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"arrowhead\"/></marker></defs>"
        for d in edges { s += "<path class=\"edge\" d=\"\(d)\" marker-end=\"url(#arrow)\"/>" }
        for (n, node) in graph.nodes.enumerated() where n < boxes.count {
            let b = boxes[n]
            s += "<g class=\"node layer-\(node.layer.rawValue)\" data-node=\"\(node.key)\" tabindex=\"0\">"
            s += "<title>\(PlanPage.escape(node.id))</title>"
            s += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"4\"/>", b.x, b.y, b.width, b.height)
            s += String(format: "<text x=\"%.1f\" y=\"%.1f\">", b.x + 8, b.y + b.height / 2 + 4) + PlanPage.escape(node.label) + "</text></g>"
        }
        return s + "</svg>"
    }
}
