import Foundation
import Testing

@Suite("the drill's report page and traffic files")
struct DrillReportPageTests {
    @Test("the drill writes report.html, the traffic template and the import list, and prints the recovery endpoints")
    func drillWritesPageAndTraffic() throws {
        let dir = try StandbyBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("drill").path
        let r = try StandbyBinary.run(["run", "scripts/drill.lua", "scripts/estate", out])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        for file in ["report.html", "azure/traffic.json", "azure/prepare.json", "azure/acr-import.sh"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
        #expect(r.stdout.contains("traffic: 3 recovery endpoints, 6 images to import"))
        #expect(r.stdout.contains("Traffic Manager checkout-weu -> pip-fw-aks-prod-weu-checkout-web (Disabled)"))
        let md = try String(contentsOfFile: out + "/report.md", encoding: .utf8)
        let firstScreen = md.components(separatedBy: "\n").prefix { $0 != "## Needs a person" }
        #expect(firstScreen.count <= 40 && firstScreen.contains("## Checklist"))
    }
}
