import ArgumentParser
import Foundation
import StandbyCore

/// `points prune --delete-snapshots --aws-region ... [--azure-endpoint ...]`: the EBS snapshots and
/// copies, and the Azure disks' snapshots and copies, of the pruned points that recorded volume
/// data are deleted too (``VolumeSnapshotPrune``). Without `--delete-snapshots`, each such point
/// is named with its snapshots, which are left.
struct VolumeSnapshotOptions: ParsableArguments {
    @Flag(help: "Also delete the EBS and Azure disk snapshots and copies the pruned points recorded.")
    var deleteSnapshots = false

    @Option(help: ArgumentHelp("The region the volumes' snapshots were taken in.", valueName: "region"))
    var awsRegion: String?

    @Option(help: ArgumentHelp("An EC2-compatible endpoint (e.g. http://127.0.0.1:5000).", valueName: "url"))
    var awsEndpoint: String?

    @Option(help: ArgumentHelp("The AWS profile.", valueName: "name"))
    var awsProfile: String?

    @Option(help: ArgumentHelp("A role to assume for the snapshots.", valueName: "arn"))
    var awsRoleArn: String?

    @Option(help: ArgumentHelp("The ARM endpoint for Azure disks' snapshots (default https://management.azure.com; the token as for standby.azure.discover).",
                               valueName: "url"))
    var azureEndpoint: String?

    func delete(_ report: PruneReport) throws {
        guard !report.volumes.isEmpty else { return }
        guard deleteSnapshots else {
            for (id, records) in report.volumes.sorted(by: { $0.key < $1.key }) {
                let ids = records.flatMap { [$0.snapshot, $0.copy] }.joined(separator: ", ")
                print("left \(id)'s volume snapshots (\(ids)): give --delete-snapshots to delete them")
            }
            return
        }
        let all = report.volumes.values.flatMap { $0 }
        var outcome = VolumeSnapshotPrune.Outcome()
        if all.contains(where: { !$0.isAzureDisk }) {
            let session = try AWSSession.connect(AWSSettings(region: awsRegion, profile: awsProfile, endpoint: awsEndpoint, roleARN: awsRoleArn))
            outcome = VolumeSnapshotPrune.run(report, session: session, immutable: [])
        }
        if let disk = all.first(where: \.isAzureDisk) {
            let subscription = ARMResourceID(SnapshotCopy.slashed(disk.snapshot))?.subscription ?? ""
            let client = ARMClient(settings: AzureSettings(subscription: subscription, endpoint: azureEndpoint ?? "https://management.azure.com"))
            let azure = VolumeSnapshotPrune.run(report, client: client, immutable: [])
            outcome.deleted.merge(azure.deleted) { $0 + $1 }
            outcome.failed.merge(azure.failed) { "\($0); \($1)" }
        }
        for (id, deleted) in outcome.deleted.sorted(by: { $0.key < $1.key }) {
            for snapshot in deleted { print("deleted snapshot \(snapshot) of \(id)") }
        }
        for (id, why) in outcome.failed.sorted(by: { $0.key < $1.key }) {
            FileHandle.standardError.write(Data("standby: the snapshots of \(id) were not all deleted: \(why)\n".utf8))
        }
        if !outcome.failed.isEmpty { throw ExitCode(1) }
    }
}
