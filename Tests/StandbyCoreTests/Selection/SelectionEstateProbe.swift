import Foundation
import Testing
@testable import StandbyCore

@Test func selectionEstateProbe() throws {
    let root = try #require(repositoryRoot())
    let inv = try InventoryLoader.load(path: "\(root)/scripts/estate")
    let aks = inv.clusters.first { $0.name == "aks-prod-weu" }!.controlPlaneID!
    let eks = inv.clusters.first { $0.name == "eks-prod-use1" }!.controlPlaneID!
    let s = select(SelectionRequest(roots: [aks, eks], namespaces: ["payments", "checkout", "orders"]), in: inv)
    var out = "SUMMARY\n\(s.summary)\nDANGLING\n"
    for d in s.dangling { out += "\(d.from) | \(d.path) | \(d.relation) | \(d.target)\n" }
    out += "EXCLUDED\n"
    for e in s.excluded { out += "\(e.id) | \(e.reason) | \(e.wantedBy.map { "\($0.from ?? "-") \($0.relation)" })\n" }
    out += "INCLUDED\n"
    for r in s.resources { out += "\(s.explain(r.id)!)\n" }
    out += "NOT INCLUDED\n"
    for r in inv.resources where !s.contains(r.id) { out += "\(Selection.display(r))  \(r.id)\n" }
    try out.write(toFile: "/tmp/walkprobe/out.txt", atomically: true, encoding: .utf8)
}
