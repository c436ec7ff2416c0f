import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

/// `report.md`'s first screen and `report.html`, on the drill's plan of the sample estate; the
/// page loaded from a temporary folder in headless Chromium (Debian `chromium`, which
/// scripts/test.sh installs), its DOM checked after its script ran, and a screenshot saved.
@Suite("Report: first screen and page")
struct ReportPageTests {
    /// The drill's plan: test mode, traffic routed, the sandbox attached, the selection's whys.
    static func drillPlan() throws -> RecoveryPlan {
        let selection = try SampleEstate.selection()
        let t = Translator(settings: TranslationSettings(to: SampleEstate.recovery, mode: .test)).translate(selection)
        var plan = RecoveryPlan(t)
        plan.route(TrafficSources(selection.inventory))
        plan.explanations = PlanPage.explanations(selection, for: plan)
        plan.attach(try SandboxFirewallBuilder.build(plan: plan, allow: ["mcr.microsoft.com"]))
        return plan
    }

    static func summary(_ folder: String) throws -> JSONValue {
        let report = try JSONParser.parse(String(contentsOfFile: folder + "/report.json", encoding: .utf8))
        return try #require(report["summary"])
    }

    @Test func firstScreenFitsAndAgreesWithReportJSON() throws {
        var plan = try Self.drillPlan()
        let report = PlanReport(plan)
        let lines = report.markdown.components(separatedBy: "\n")
        let details = try #require(lines.firstIndex(of: "## Needs a person"))
        #expect(details <= PlanReport.firstScreenLines, "the first screen is \(details) lines")
        let first = lines[..<details].joined(separator: "\n")
        let s = report.summaryJSON
        for key in ["azure_resources", "eks_requests", "kubernetes_manifests", "needs_a_person", "before", "during", "after", "must_exist"] {
            let n = try #require(s[key]?.intValue, "\(key)")
            #expect(first.contains("\(n)"), "\(key) = \(n) is not on the first screen")
        }
        #expect(s["before"]!.intValue! + s["during"]!.intValue! + s["after"]!.intValue! == s["needs_a_person"]!.intValue!)
        // The drill restores its volumes from snapshot copies: the RPO is the oldest one's age.
        let rpo = try #require(report.rpoSeconds, "the drill's plan restores volumes")
        #expect(first.contains("**RPO of the point:** \(SnapshotTime.age(Double(rpo))) (the oldest volume snapshot the plan restores)"))
        #expect(first.contains("**Before deployment** (\(s["before"]!.intValue!))"))
        #expect(first.contains("`vnet-hub-weu`"), "the must-exist item")
        plan.timings = PlanTimings(rpo: "volume data 14 min older than the point", rto: "aks-prod-weu ready after 11 min")
        let timed = PlanReport(plan)
        #expect(timed.markdown.contains("**RPO of the point:** volume data 14 min older than the point"))
        #expect(timed.summaryJSON["rto"]?.stringValue == "aks-prod-weu ready after 11 min")
    }

    /// The RTO line plan:apply leaves on the plan: per cluster, the time from the first request
    /// to the last awaited object ready, or what kept it from being ready.
    @Test func rtoLineOfAnApply() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let ready = ApplyTiming(cluster: "aks-prod-weu", started: t0, applied: t0 + 30, ready: t0 + 680, ended: t0 + 681,
                                objects: 95, sent: 95, failed: 0, blocked: 0, awaited: 12)
        let stuck = ApplyTiming(cluster: "eks-prod-use1", started: t0, applied: t0 + 3, ready: nil, ended: t0 + 300,
                                objects: 40, sent: 38, failed: 1, blocked: 1, awaited: 5)
        #expect(ApplyTiming.rtoLine([]) == nil)
        #expect(ApplyTiming.rtoLine([ready]) == "aks-prod-weu ready 11 min 20 s after the first request (95 of 95 objects sent, 3 objects/s)")
        #expect(ApplyTiming.rtoLine([ready, stuck])?.hasSuffix("; eks-prod-use1 not ready: 1 failed, 1 blocked (see the apply records)") == true)
    }

    @Test func checklistPhasesComeFromTheNoteOrItsWords() {
        #expect(PlanChecklist.infer("restore it from a snapshot once the cluster exists, before the PersistentVolume") == .during)
        #expect(PlanChecklist.infer("restore them into the recovery vault before the deployment") == .before)
        #expect(PlanChecklist.infer("the subnet's route table is replaced for the test") == .after)
    }

    @Test func hostileNamesAreEscapedEverywhere() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let hostile = "x<img src=x onerror=alert(1)>'\""
        let yaml = try folder.write("app.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: "\(hostile.replacingOccurrences(of: "\"", with: "\\\""))", namespace: "</script><script>alert(2)</script>"}
        spec: {template: {spec: {containers: [{name: a, image: "r.example/a:1"}]}}}
        """)
        let inventory = try InventoryLoader.load(paths: [yaml], options: LoadOptions(cluster: "c<b>1"))
        let t = Translator(settings: TranslationSettings(to: RecoveryEnvironment(), mode: .test)).translate(inventory.resources, in: inventory)
        let page = PlanPage(PlanReport(RecoveryPlan(t)))
        #expect(page.graph.nodes.contains { $0.label.contains(hostile) })
        let html = page.html
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("</script><script>alert(2)"))
        #expect(!html.contains("<b>1"))
        #expect(html.contains("x&lt;img src=x onerror=alert(1)&gt;&#39;&quot;"))
    }

    @Test func withoutDotThePageUsesItsOwnLayoutAndSaysSo() throws {
        let plan = try Self.drillPlan()
        let page = PlanPage(PlanReport(plan), dotPath: "/nonexistent/dot")
        #expect(page.layout.engine.hasPrefix("inline layout: Graphviz dot failed"))
        #expect(page.layout.boxes.count == page.graph.nodes.count)
        #expect(page.html.contains("Layout: <span id=\"layout\">inline layout"))
    }

    // MARK: - In a browser

    static func chromium() throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        Issue.record("headless Chromium is needed for this test: apt-get install chromium (scripts/test.sh installs it)")
        throw CancellationError()
    }

    /// Runs Chromium headless on `url` with `arguments`; its profile lives in `folder`.
    static func runChromium(_ folder: String, _ arguments: [String], url: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try chromium())
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--user-data-dir=\(folder)/chromium-profile"] + arguments + [url]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "chromium \(arguments) exited \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }

    static func matches(_ pattern: String, in text: String) -> [[String]] {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { m in
            (0..<m.numberOfRanges).map { i in Range(m.range(at: i), in: text).map { String(text[$0]) } ?? "" }
        }
    }

    @Test func theDrillPageInHeadlessChromium() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let plan = try Self.drillPlan()
        let out = folder.path + "/plan"
        try plan.write(to: out)
        let summary = try Self.summary(out)
        let url = URL(fileURLWithPath: out + "/report.html").absoluteString
        let query = "crpaymentsprodweudr"

        // Summary counts, after the page's script ran, equal report.json's.
        let dom = try Self.runChromium(folder.path, ["--dump-dom"], url: url + "?q=" + query + "&node=n0")
        let counts = Self.matches("data-count=\"([a-z_]+)\">([0-9]+)<", in: dom)
        #expect(counts.count == PlanReport(plan).headline.count)
        for c in counts { #expect(summary[c[1]]?.intValue == Int64(c[2]), "\(c[1]): page \(c[2]), report.json \(summary[c[1]].map { "\($0)" } ?? "nil")") }

        // The graph: one SVG node per graph node, and the page says how many.
        let graph = PlanGraph(plan)
        #expect(Self.matches("<g class=\"node layer-[0-3][ \"]", in: dom).count == graph.nodes.count)
        #expect(Self.matches("<g class=\"node layer-0 chosen\" data-node=\"n0\"", in: dom).count == 1, "the chosen node is marked")
        #expect(dom.contains("data-nodes=\"\(graph.nodes.count)\""))
        #expect(Set(graph.nodes.map(\.layer)) == Set(PlanGraph.Layer.allCases), "every column has nodes")
        // ?node=n0 chose the first node: its why is shown.
        let why = try #require(Self.matches("<div id=\"why\"[^>]*data-node=\"n0\"[^>]*>(.*?)</div>", in: dom).first)
        // (A DOM serializer escapes only &, < and > in text.)
        let shownWhy = graph.nodes[0].why.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        #expect(why[1].contains(shownWhy))

        // The search (?q=) hid every row without the text.
        let report = PlanReport(plan)
        var expected = 0, rows = 0
        for o in report.translation.objects {
            for c in o.changes {
                rows += 1
                let text = [o.display, c.path, PlanPage.text(c.before), PlanPage.text(c.after), c.by].joined(separator: " ").lowercased()
                if text.contains(query) { expected += 1 }
            }
        }
        #expect(expected > 0 && expected < rows)
        #expect(dom.contains("data-shown=\"\(expected)\""), "expected \(expected) rows shown")
        #expect(Self.matches("<tr hidden", in: dom).count == rows - expected)

        // A screenshot, into the temporary folder.
        _ = try Self.runChromium(folder.path, ["--window-size=1400,1800", "--screenshot=\(folder.path)/report.png"], url: url)
        let png = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/report.png"))
        #expect(png.count > 10_000 && png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        if let keep = ProcessInfo.processInfo.environment["STANDBY_KEEP_SCREENSHOT"], !keep.isEmpty {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: folder.path + "/report.png", toPath: keep)
        }
    }
}
