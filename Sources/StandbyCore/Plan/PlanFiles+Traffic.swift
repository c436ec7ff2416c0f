extension RecoveryPlan {
    /// `azure/traffic.json`, `azure/prepare.json` and `azure/acr-import.sh` (``TrafficFailover``),
    /// each only when it has something in it.
    func emitTraffic(to sink: some PlanSink) throws {
        guard let traffic else { return }
        if let t = traffic.template { try sink.write("azure/traffic.json", JSONSerializer.serialize(t, pretty: true) + "\n") }
        if let p = traffic.prepare { try sink.write("azure/prepare.json", JSONSerializer.serialize(p, pretty: true) + "\n") }
        if !traffic.imports.isEmpty {
            let lines = ["#!/bin/sh", "# Copies the images the recovered workloads pull into the recovery registries.",
                         "# Run after azure/template.json, before the Kubernetes manifests (standby plan, report.md).", "set -eu"]
                + traffic.imports
            try sink.write("azure/acr-import.sh", lines.joined(separator: "\n") + "\n")
        }
    }
}
