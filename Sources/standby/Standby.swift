import ArgumentParser
import StandbyCore

/// The `standby` command: protects Kubernetes clusters (AKS, EKS) against region or account loss.
@main
struct Standby: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standby",
        abstract: "Capture Kubernetes clusters and their cloud control plane, and rebuild them elsewhere.",
        discussion: """
            Runbooks are Lua scripts. `standby run scripts/drill.lua` runs the scripted drill on the \
            embedded sample estate.
            """,
        version: StandbyVersion.description,
        subcommands: [Run.self, PlanCommand.self, CaptureCommand.self, PointsCommand.self, VerifyCommand.self, KeysCommand.self, InventoryCommand.self, TestCommand.self, InitCommand.self, FleetCommand.self]
    )
}
