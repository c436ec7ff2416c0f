import ArgumentParser
import Foundation
import StandbyCore

extension Standby {
    /// `standby inventory <path>...`: loads exports and prints what they hold.
    struct InventoryCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inventory",
            abstract: "Load exports (az, aws, kubectl, an estate.yaml) and print counts by type and kind.")

        @Argument(help: ArgumentHelp("Files or folders to load.", valueName: "path"), completion: .file())
        var paths: [String]

        @Option(help: "The cluster Kubernetes objects belong to, when no estate.yaml says so.")
        var cluster: String?

        @Option(help: "AWS region for ARNs that aws-cli output does not carry.")
        var region: String?

        @Option(help: "AWS account for ARNs that aws-cli output does not carry.")
        var account: String?

        @Flag(help: "Print every resource id instead of the counts.")
        var ids = false

        @Flag(help: "Print JSON: { summary, notes } (the summary as inv:summary() has it), or { ids } with --ids.")
        var json = false

        func validate() throws {
            for p in paths where !FileManager.default.fileExists(atPath: p) {
                throw ValidationError("'\(p)' does not exist.")
            }
        }

        func run() throws {
            let options = LoadOptions(cluster: cluster, region: region, account: account)
            let inventory: Inventory
            do {
                inventory = try InventoryLoader.load(paths: paths, options: options)
            } catch {
                FileHandle.standardError.write(Data("standby: \(error)\n".utf8))
                throw ExitCode(2)
            }
            if json {
                let document: JSONValue = ids
                    ? .object(JSONObject([("ids", .array(inventory.resources.map { .string($0.id) }))]))
                    : .object(JSONObject([("summary", inventory.summary.json),
                                          ("notes", .array(inventory.notes.map { .string($0) }))]))
                print(JSONSerializer.serialize(document, pretty: true))
            } else if ids {
                for r in inventory.resources { print(r.id) }
            } else {
                print(inventory.summary)
                for note in inventory.notes { print("note: \(note)") }
            }
        }
    }
}
