/// `report.html`: one self-contained page (inline CSS and script, a Content-Security-Policy that
/// allows no network request) with the first screen of `report.md` (counts, RPO, RTO, the
/// checklist, the must-exist items), the dependency graph as SVG (a node shows its `why` when
/// clicked) and a searchable table of every translated value.
///
/// Every text is HTML-escaped: resource names are hostile input. The data the script reads is a
/// JSON block in which `<`, `>` and `&` are written as `\u003c`… so it cannot close its element.
/// `report.html?q=text` opens with the table filtered, `?node=n3` with that node's `why` shown.
public struct PlanPage: Sendable {
    public let report: PlanReport
    public let graph: PlanGraph
    public let layout: GraphLayout

    /// Translated values listed in the table; past this the page says how many more
    /// `report.json` holds.
    public static let maximumRows = 5000

    public init(_ report: PlanReport, dotPath: String? = nil) {
        self.report = report
        graph = PlanGraph(report.plan)
        layout = GraphLayout.make(graph, dotPath: dotPath)
    }

    /// Text safe in HTML element content and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// JSON safe inside a `<script type="application/json">` element.
    static func scriptJSON(_ value: JSONValue) -> String {
        JSONSerializer.serialize(value, pretty: false)
            .replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }

    public var html: String {
        let e = Self.escape
        let plan = report.plan
        let t = plan.translation
        var h: [String] = []
        h.append("<!doctype html>")
        h.append("<html lang=\"en\"><head><meta charset=\"utf-8\">")
        h.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            + "script-src 'unsafe-inline'; img-src data:\">")
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        h.append("<title>Recovery plan (\(t.settings.mode == .test ? "failover test" : "failover"))</title>")
        h.append("<style>\(Self.css)</style></head><body>")
        h.append("<h1>Recovery plan (\(t.settings.mode == .test ? "failover test" : "failover"))</h1>")
        var targets: [String] = []
        if let a = t.settings.to.azure { targets.append("Azure subscription \(a.subscription), \(a.location)") }
        if let w = t.settings.to.aws { targets.append("AWS account \(w.account), \(w.region)") }
        h.append("<p>Recovery environment: \(e(targets.isEmpty ? "none given" : targets.joined(separator: "; "))).</p>")

        // Summary: the same counts as report.json's summary.
        h.append("<section id=\"summary\"><h2>Summary</h2><div class=\"counts\">")
        for c in report.headline {
            h.append("<div class=\"count\"><span class=\"n\" data-count=\"\(c.key)\">\(c.value)</span> <span>\(e(c.label))</span></div>")
        }
        h.append("</div><ul class=\"facts\"><li><b>RPO of the point:</b> <span id=\"rpo\">\(e(report.rpoText))</span></li>")
        h.append("<li><b>RTO of the last apply:</b> <span id=\"rto\">\(e(report.rtoText))</span></li></ul>")
        let checklist = PlanChecklist(report)
        h.append("<div id=\"checklist\">")
        for phase in PlanPhase.allCases {
            let items = checklist.items(phase)
            h.append("<details class=\"phase\" data-phase=\"\(phase.rawValue)\"\(items.count <= 12 ? " open" : "")><summary>"
                + "\(phase.title) <span class=\"badge\">\(items.count)</span></summary><ul>")
            for i in items {
                h.append("<li><label><input type=\"checkbox\"> <code>\(e(PlanReport.short(i.subject)))</code> \(e(i.message))"
                    + (i.inferred ? " <i class=\"inferred\">(when: read from the message)</i>" : "") + "</label></li>")
            }
            h.append("</ul></details>")
        }
        h.append("</div>")
        if !t.assumed.isEmpty {
            h.append("<h3>Must exist in the recovery environment</h3><ul id=\"must-exist\">")
            for a in t.assumed { h.append("<li><code>\(e(a.recoveryID))</code>: \(e(a.why))</li>") }
            h.append("</ul>")
        }
        h.append("</section>")

        // Graph.
        h.append("<section id=\"graph\"><h2>Dependency graph</h2>")
        h.append("<p class=\"legend\"><span class=\"key layer-0\">cluster</span> → <span class=\"key layer-1\">cloud resource</span> → "
            + "<span class=\"key layer-2\">namespace</span> → <span class=\"key layer-3\">workload</span>. "
            + "<span id=\"graph-count\" data-nodes=\"\(graph.nodes.count)\">\(graph.nodes.count) nodes</span>, "
            + "\(graph.edges.count) edges. Layout: <span id=\"layout\">\(e(layout.engine))</span>."
            + (graph.omitted > 0 ? " <b>\(graph.omitted) more nodes not drawn</b> (the graph holds at most \(PlanGraph.maximumNodes)); report.json lists every resource." : "")
            + " Click a node to see why it is in the plan.</p>")
        h.append("<div id=\"why\" aria-live=\"polite\">No node chosen.</div>")
        h.append("<div id=\"graph-box\">\(layout.svg(graph))</div></section>")

        // Translations.
        var rows: [String] = []
        var total = 0
        for o in report.translation.objects {
            for c in o.changes {
                total += 1
                guard rows.count < Self.maximumRows else { continue }
                rows.append("<tr><td>\(e(o.display))</td><td><code>\(e(c.path))</code></td><td>\(e(Self.text(c.before)))</td>"
                    + "<td>\(e(Self.text(c.after)))</td><td>\(e(c.by))</td></tr>")
            }
        }
        h.append("<section id=\"translations\"><h2>Translations</h2>")
        h.append("<p><input id=\"search\" type=\"search\" placeholder=\"Filter: resource, path, value, rule\" aria-label=\"filter translations\"> "
            + "<span id=\"shown\">\(rows.count) of \(rows.count) shown</span>"
            + (total > rows.count ? " (the first \(rows.count) of \(total) translated values; report.json has them all)" : "") + "</p>")
        h.append("<table id=\"tx\" data-rows=\"\(rows.count)\" data-total=\"\(total)\"><thead><tr><th>Resource</th><th>Path</th>"
            + "<th>Before</th><th>After</th><th>By</th></tr></thead><tbody>")
        h += rows
        h.append("</tbody></table></section>")

        let nodes: JSONValue = .object(JSONObject(graph.nodes.map { n in
            (n.key, .object(JSONObject([("id", .string(n.id)), ("label", .string(n.label)), ("layer", .string(n.layer.title)),
                                        ("why", .string(n.why))])))
        }))
        h.append("<script type=\"application/json\" id=\"nodes\">\(Self.scriptJSON(nodes))</script>")
        h.append("<script>\(Self.script)</script>")
        h.append("</body></html>")
        return h.joined(separator: "\n") + "\n"
    }

    static func text(_ v: JSONValue?) -> String {
        guard let v else { return "(absent)" }
        let s = v.stringValue ?? JSONSerializer.serialize(v)
        return s.count > 300 ? String(s.prefix(299)) + "…" : s
    }

    static let css = """
    body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1400px;padding:0 16px;color:#1b1f24}
    h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccd;padding-bottom:4px;margin-top:28px}
    .counts{display:flex;flex-wrap:wrap;gap:8px}.count{border:1px solid #ccd;border-radius:6px;padding:6px 10px;background:#f6f8fa}
    .count .n{font-weight:700;font-size:18px}.facts{list-style:none;padding:0}
    details.phase{border:1px solid #ccd;border-radius:6px;margin:6px 0;padding:4px 10px}details.phase summary{cursor:pointer;font-weight:600}
    .badge{background:#445;color:#fff;border-radius:9px;padding:0 7px;font-size:12px}.inferred{color:#667}
    code{font-size:12px;background:#f0f2f4;padding:0 3px;border-radius:3px;word-break:break-all}
    #graph-box{overflow:auto;max-height:720px;border:1px solid #ccd;border-radius:6px}
    #why{margin:8px 0;padding:8px;background:#fffbe6;border:1px solid #e8d48a;border-radius:6px;min-height:20px}
    .node rect{stroke:#556;stroke-width:1}.node text{font:11px sans-serif;fill:#111;pointer-events:none}.node{cursor:pointer}
    .node.chosen rect{stroke:#d00;stroke-width:3}.edge{fill:none;stroke:#99a;stroke-width:1}.arrowhead{fill:#99a}
    .layer-0 rect,.key.layer-0{fill:#cfe3ff;background:#cfe3ff}.layer-1 rect,.key.layer-1{fill:#ffe3c2;background:#ffe3c2}
    .layer-2 rect,.key.layer-2{fill:#d9f2d9;background:#d9f2d9}.layer-3 rect,.key.layer-3{fill:#eedcff;background:#eedcff}
    .key{padding:0 6px;border-radius:4px}
    #search{width:360px;padding:4px 8px}table{border-collapse:collapse;width:100%;font-size:12px}
    th,td{border-bottom:1px solid #e3e6ea;padding:3px 6px;text-align:left;vertical-align:top;word-break:break-word}
    th{background:#f6f8fa;position:sticky;top:0}
    """

    static let script = """
    (function(){
      var nodes = JSON.parse(document.getElementById('nodes').textContent);
      var why = document.getElementById('why');
      function choose(key){
        var n = nodes[key]; if(!n) return;
        document.querySelectorAll('.node.chosen').forEach(function(g){ g.classList.remove('chosen'); });
        var g = document.querySelector('.node[data-node="'+key+'"]'); if(g) g.classList.add('chosen');
        why.textContent = '';
        var b = document.createElement('b'); b.textContent = n.label + ' (' + n.layer + ')'; why.appendChild(b);
        why.appendChild(document.createTextNode(': ' + n.why));
        why.setAttribute('data-node', key);
      }
      document.querySelectorAll('.node').forEach(function(g){
        g.addEventListener('click', function(){ choose(g.getAttribute('data-node')); });
        g.addEventListener('keydown', function(ev){ if(ev.key==='Enter') choose(g.getAttribute('data-node')); });
      });
      var search = document.getElementById('search'), shown = document.getElementById('shown');
      var rows = Array.prototype.slice.call(document.querySelectorAll('#tx tbody tr'));
      function filter(){
        var q = search.value.toLowerCase(), n = 0;
        rows.forEach(function(r){ var hit = !q || r.textContent.toLowerCase().indexOf(q) >= 0; r.hidden = !hit; if(hit) n++; });
        shown.textContent = n + ' of ' + rows.length + ' shown';
        shown.setAttribute('data-shown', n);
      }
      search.addEventListener('input', filter);
      var params = new URLSearchParams(location.search);
      if(params.get('q')){ search.value = params.get('q'); }
      filter();
      if(params.get('node')) choose(params.get('node'));
    })();
    """
}
