import ArgumentParser
import Foundation
import StandbyCore
import StandbyLua

extension Standby {
    /// `standby capture <runbook>` runs a runbook that calls `standby.capture{...}`;
    /// `standby capture --estate DIR --root ID --namespace NS --to STORE --keys DIR` captures
    /// without one.
    struct CaptureCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "capture",
            abstract: "Capture a recovery point: from a runbook (it calls standby.capture{...}), or from flags.")

        @OptionGroup var lua: LuaOptions

        @Option(help: ArgumentHelp("Capture from flags: the estate (files, folders or an estate.yaml).", valueName: "path"), completion: .file())
        var estate: String?
        @Option(help: ArgumentHelp("A root to select (cluster id, ARN, Kubernetes cluster name); repeatable.", valueName: "id"))
        var root: [String] = []
        @Option(help: ArgumentHelp("A namespace to select; repeatable.", valueName: "ns"))
        var namespace: [String] = []
        @Option(help: ArgumentHelp("The store: a folder, file:///path or s3://bucket/prefix.", valueName: "store"), completion: .directory)
        var to: String?
        @Option(help: ArgumentHelp("The folder with signing.key and recovery.pub (standby keys new).", valueName: "dir"), completion: .directory)
        var keys: String?
        @Option(help: ArgumentHelp("An S3-compatible endpoint.", valueName: "url")) var endpoint: String?

        @Argument(help: ArgumentHelp("The runbook (when not capturing from flags).", valueName: "runbook.lua"), completion: .file(extensions: ["lua"]))
        var script: String?

        @Argument(parsing: .captureForPassthrough, help: "Arguments for the runbook.")
        var arguments: [String] = []

        func validate() throws {
            if estate != nil {
                guard script == nil else { throw ValidationError("give a runbook or --estate, not both") }
                guard to != nil, keys != nil else { throw ValidationError("--estate needs --to STORE and --keys DIR") }
                guard !root.isEmpty || !namespace.isEmpty else { throw ValidationError("--estate needs at least one --root or --namespace") }
            } else if script == nil {
                throw ValidationError("give a runbook, or --estate with --root/--namespace, --to and --keys")
            }
        }

        func run() throws {
            if let estate, let to, let keys {
                return try captureFromFlags(estate: estate, to: to, keys: keys)
            }
            guard let script else { return }
            let runtime = try lua.runRunbook(script, arguments: arguments)
            let captured = runtime.capturedPoints
            guard !captured.isEmpty else {
                FileHandle.standardError.write(Data("standby: \(script) captured nothing: call standby.capture{ selection = sel, to = ..., ... } in it\n".utf8))
                throw ExitCode(1)
            }
            for id in captured {
                print("captured \(id)")
                if let gaps = runtime.partialPoints[id] {
                    print("  \(id) is PARTIAL: its inventory could not read \(gaps.count == 1 ? "1 part" : "\(gaps.count) parts"); a restore uses it only when asked for")
                    for gap in gaps { print("    missing: \(gap)") }
                }
            }
            exitWithoutTeardown(keeping: runtime)
        }

        private func captureFromFlags(estate: String, to: String, keys: String) throws {
            func key(_ name: String) throws -> String {
                let path = (keys as NSString).appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: path), let pem = String(data: data, encoding: .utf8) else {
                    throw ValidationError("cannot read \(path) (standby keys new \(keys))")
                }
                if name.hasSuffix(".key"), let warning = PrivateKeyFile.permissionWarning(path, what: "signing key") {
                    FileHandle.standardError.write(Data("standby: \(warning)\n".utf8))
                }
                return pem
            }
            do {
                let inventory = try InventoryLoader.load(path: estate)
                let selection = inventory.select(SelectionRequest(roots: root, namespaces: namespace))
                if !selection.unknownRoots.isEmpty {
                    throw ValidationError("not in the estate: \(selection.unknownRoots.joined(separator: ", "))")
                }
                let store = try PointStores.open(to, endpoint: endpoint)
                let summary = try RecoveryPointWriter.capture(selection, to: store, options: CaptureOptions(
                    signingPrivatePEM: try key("signing.key"), recoveryPublicPEM: try key("recovery.pub")))
                print("captured \(summary.id): \(summary.objects) objects, \(summary.size) bytes, clusters \(summary.clusters.joined(separator: ", "))")
            } catch let e as ValidationError {
                throw e
            } catch {
                FileHandle.standardError.write(Data("standby: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
