import ArgumentParser
import Foundation
import StandbyCore

extension Standby {
    /// `standby fleet render|run`: a fleet of clusters protected on the schedulers platform teams
    /// run (Kubernetes CronJobs, Argo Workflows), never on one of Standby's own.
    struct FleetCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fleet",
            abstract: "Protect a fleet of clusters on schedule: render its CronJobs or Argo CronWorkflows, run one scheduled capture.",
            subcommands: [Render.self, FleetRun.self])

        struct Render: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write the Kubernetes objects that run a fleet's captures on schedule.",
                discussion: """
                    Per cluster: a ServiceAccount with a read-only ClusterRole (get/list/watch), the runbook in a \
                    ConfigMap, and a CronJob (--as cronjobs) or a step of an Argo CronWorkflow fanning out over the \
                    clusters of one schedule (--as argo). Keys and credentials are referenced by Secret name only. \
                    The folder is replaced atomically; README.txt in it lists the files and what was assumed.
                    """)
            @Argument(help: ArgumentHelp("The fleet file.", valueName: "fleet.yaml"), completion: .file(extensions: ["yaml", "yml"]))
            var fleet: String
            @Option(name: .customLong("as"), help: "cronjobs or argo.") var scheduler: String = "cronjobs"
            @Option(help: ArgumentHelp("The folder to write (replaced).", valueName: "dir"), completion: .directory) var out: String
            @Option(help: ArgumentHelp("The image the jobs run (overrides the fleet file's image:).", valueName: "image")) var image: String?

            func run() throws {
                guard let kind = FleetRendering.Scheduler(rawValue: scheduler) else {
                    throw ValidationError("--as must be cronjobs or argo, not '\(scheduler)'")
                }
                do {
                    var spec = try FleetSpec.load(path: fleet)
                    if let image { spec.image = image }
                    let rendering = FleetRendering.render(spec, as: kind)
                    let written = try rendering.write(to: out)
                    print("wrote \(written.count) files to \(out) for \(spec.clusters.count) cluster\(spec.clusters.count == 1 ? "" : "s") (\(kind.rawValue), image \(spec.image))")
                    for note in rendering.notes { print("  note: \(note)") }
                } catch let e as FleetError {
                    FileHandle.standardError.write(Data("standby: \(e)\n".utf8))
                    throw ExitCode(1)
                } catch let e as YAMLSyntaxError {
                    FileHandle.standardError.write(Data("standby: \(e)\n".utf8))
                    throw ExitCode(1)
                }
            }
        }
    }
}
