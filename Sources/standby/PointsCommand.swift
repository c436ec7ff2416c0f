import ArgumentParser
import Foundation
import StandbyCore
import StandbyLua

extension Standby {
    /// `standby points list|verify|prune <store>`: the catalog of recovery points.
    struct PointsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "points",
            abstract: "List, verify and prune recovery points.",
            subcommands: [List.self, Verify.self, Prune.self, Immutable.self])

        struct StoreOptions: ParsableArguments {
            @Argument(help: ArgumentHelp("The store: a folder, file:///path or s3://bucket/prefix.", valueName: "store"),
                      completion: .directory)
            var store: String

            @Option(help: ArgumentHelp("An S3-compatible endpoint (e.g. http://127.0.0.1:5000).", valueName: "url"))
            var endpoint: String?

            @Option(help: "The S3 region (default AWS_REGION or us-east-1).")
            var region: String?

            @Option(help: ArgumentHelp("The folder with signing.pub (standby keys new).", valueName: "dir"), completion: .directory)
            var keys: String?

            func open() throws -> any PointStore {
                do {
                    return try PointStores.open(store, endpoint: endpoint, region: region, existing: true)
                } catch let e as StoreError {
                    throw ValidationError("\(e)")
                }
            }

            func verifyKey(required: Bool) throws -> String? {
                guard let keys else {
                    if required { throw ValidationError("--keys DIR is required: the folder holding signing.pub") }
                    return nil
                }
                let path = (keys as NSString).appendingPathComponent("signing.pub")
                guard let data = FileManager.default.contents(atPath: path), let pem = String(data: data, encoding: .utf8) else {
                    throw ValidationError("cannot read \(path)")
                }
                return pem
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List recovery points, newest first.",
                discussion: """
                    The first line says whether the newest point is one a restore would use. Exit status: \
                    0 when it verifies and is whole (without --keys: is complete and does not say it is partial), \
                    or the store is empty; 6 when it fails verification or is incomplete (a restore refuses it and \
                    does not fall back to an older point unless allowed); 7 when it verifies but is partial (its \
                    capture could not read everything; a restore uses it only when asked for).
                    """)
            @OptionGroup var options: StoreOptions
            @Flag(help: "Print JSON: { newest = { line, status }, points = [...] } (the exit status is the same).")
            var json = false

            func run() throws {
                let catalog = PointCatalog(store: try options.open())
                let key = try options.verifyKey(required: false)
                let points = try catalog.list(signingPublicPEM: key)
                let verdict = try PointsVerdict.of(catalog, newest: points.first, signingPublicPEM: key)
                if json {
                    print(JSONSerializer.serialize(.object(JSONObject([
                        ("newest", .object(JSONObject([("line", .string(verdict.line)), ("status", .int(Int64(verdict.status)))]))),
                        ("points", .array(points.map(\.json))),
                    ])), pretty: true))
                    if verdict.status != 0 { throw ExitCode(verdict.status) }
                    return
                }
                print(verdict.line)
                print("ID                                  CREATED               OBJECTS       SIZE  STATE")
                for p in points {
                    var state = p.complete ? (p.verified.map { $0 ? "verified" : "FAILS VERIFICATION" } ?? "complete") : "incomplete (not restorable)"
                    if p.isPartial && p.verified != false { state += ", partial" }
                    if p.immutable { state += ", immutable" }
                    print("\(p.id.padding(toLength: 35, withPad: " ", startingAt: 0)) \(p.created.padding(toLength: 21, withPad: " ", startingAt: 0)) \(String(p.objects).leftPad(7)) \(String(p.size).leftPad(10))  \(state)  \(p.clusters.joined(separator: ","))")
                    if p.verified != false {
                        for gap in p.gaps { print("    missing: \(gap)") }
                    }
                }
                if verdict.status != 0 { throw ExitCode(verdict.status) }
            }
        }

        struct Verify: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check a point's signature and every digest.",
                discussion: """
                    Exit status: 0 when the point verifies and is whole; 1 when it fails verification (the first \
                    check that failed is named); 7 when it verifies but is partial (its capture could not read \
                    everything: what it lacks is listed; a restore uses it only when asked for).
                    """)
            @OptionGroup var options: StoreOptions
            @Argument(help: "The point's id.") var id: String
            @Flag(help: "Print JSON: { id, verified, objects, partial, gaps } or { id, verified = false, error } (the exit status is the same).")
            var json = false

            func run() throws {
                do {
                    let point = try RecoveryPoint.open(id, in: try options.open(), signingPublicPEM: try options.verifyKey(required: true) ?? "")
                    if json {
                        print(JSONSerializer.serialize(.object(JSONObject([
                            ("id", .string(id)), ("verified", .bool(true)), ("objects", .int(Int64(point.summary.objects))),
                            ("partial", .bool(point.manifest.isPartial)), ("gaps", .array(point.manifest.gaps.map(\.json))),
                        ])), pretty: true))
                        if point.manifest.isPartial { throw ExitCode(PointsVerdict.partial) }
                        return
                    }
                    let checked = "signature and \(point.summary.objects) object digests"
                    guard point.manifest.isPartial else {
                        print("\(id): verified (\(checked))")
                        return
                    }
                    print("\(id): verified (\(checked)) but PARTIAL: its capture could not read \(point.manifest.gaps.count == 1 ? "1 part" : "\(point.manifest.gaps.count) parts"); a restore uses it only when asked for")
                    for gap in point.manifest.gaps { print("    missing: \(gap)") }
                    throw ExitCode(PointsVerdict.partial)
                } catch let e as PointVerificationError {
                    if json {
                        print(JSONSerializer.serialize(.object(JSONObject([
                            ("id", .string(id)), ("verified", .bool(false)), ("error", .string("\(e)")),
                        ])), pretty: true))
                    }
                    FileHandle.standardError.write(Data("standby: \(e)\n".utf8))
                    throw ExitCode(1)
                }
            }
        }

        struct Prune: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Delete points the retention policy does not keep (never immutable ones).")
            @OptionGroup var options: StoreOptions
            @Option(help: "Keep the newest N points.") var keepLast: Int
            @Option(help: "Also keep the newest point of each of the last D days.") var keepDaily: Int = 0
            @Option(help: "Also keep the newest point of each of the last W weeks.") var keepWeekly: Int = 0
            @OptionGroup var snapshots: VolumeSnapshotOptions

            func run() throws {
                let report = try PointCatalog(store: try options.open()).pruneReport(
                    RetentionPolicy(keepLast: keepLast, keepDailyDays: keepDaily, keepWeeklyWeeks: keepWeekly), now: Date())
                for id in report.pruned { print("pruned \(id)") }
                try snapshots.delete(report)
                for kept in report.locked { print("kept \(kept.id): locked by the store until \(kept.retention.untilText)") }
                print("\(report.pruned.count) points pruned\(report.locked.isEmpty ? "" : ", \(report.locked.count) kept because the store locks them")")
            }
        }

        struct Immutable: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "immutable", abstract: "Mark a point immutable: it is never pruned or deleted.")
            @OptionGroup var options: StoreOptions
            @Argument(help: "The point's id.") var id: String
            @Option(help: "Object Lock mode on a bucket that has Object Lock: governance or compliance.") var lock: String = "governance"
            @Option(help: "Lock the point's objects for N days (S3 with Object Lock); without it only the marker is written.") var days: Int?

            func run() throws {
                guard let mode = ObjectLockPolicy.Mode(name: lock) else { throw ValidationError("--lock must be governance or compliance, not '\(lock)'") }
                if let days, days < 1 { throw ValidationError("--days must be at least 1") }
                let marking = try PointCatalog(store: try options.open()).markImmutable(id, lock: days.map { ObjectLockPolicy(mode: mode, days: $0) })
                if let until = marking.lockedUntil {
                    print("\(id): immutable, and locked by the store (\(mode.rawValue.lowercased())) until \(ObjectRetention(mode: mode, retainUntil: until).untilText)")
                } else {
                    print("\(id): immutable (the IMMUTABLE marker, honoured by standby)")
                    if let note = marking.note { print("  \(note)") } else if days == nil { print("  not locked by the store: give --days N to lock it (S3 Object Lock)") }
                }
            }
        }
    }
}

private extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}

extension Standby {
    /// `standby verify <store>/<point> --keys DIR`: `standby points verify` with the point named
    /// by its location (`out/points/20261124T010607Z-3ce93650`, `s3://bucket/prefix/ID`).
    struct VerifyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check a recovery point's signature and every digest.",
            discussion: "Exit status as `standby points verify`: 0 verified and whole, 1 fails verification, 7 verified but partial.")

        @Argument(help: ArgumentHelp("The point: <store>/<id>.", valueName: "point"), completion: .directory)
        var point: String

        @Option(help: ArgumentHelp("An S3-compatible endpoint.", valueName: "url")) var endpoint: String?
        @Option(help: "The S3 region.") var region: String?
        @Option(help: ArgumentHelp("The folder with signing.pub.", valueName: "dir"), completion: .directory) var keys: String
        @Flag(help: "Print JSON, as `standby points verify --json` does.") var json = false

        func run() throws {
            var location = point
            while location.hasSuffix("/") { location.removeLast() }
            guard let slash = location.lastIndex(of: "/") else {
                throw ValidationError("name the point as <store>/<id>, e.g. out/points/20261124T010607Z-3ce93650")
            }
            var arguments = [String(location[..<slash]), String(location[location.index(after: slash)...]), "--keys", keys]
            if let endpoint { arguments += ["--endpoint", endpoint] }
            if let region { arguments += ["--region", region] }
            if json { arguments.append("--json") }
            var verify = try PointsCommand.Verify.parse(arguments)
            try verify.run()
        }
    }
}
