// standby-bench: prints timing and memory figures for the selection walk and the inventory loader.
// A benchmark, not a test: it never asserts, it reports. See Sources/StandbyCore/StandbyCore.docc/Performance.md and
// scripts/bench.sh.
//
//   standby-bench walk [--sizes 10000,100000] [--arm 5000] [--repeat 3] [--no-edges]
//   standby-bench load FILE [--cluster bench] [--namespaces 200] [--repeat 3] [--no-parse] [--no-teardown]
//   standby-bench generate N FILE
//   standby-bench yaml FILE [--repeat 3]
//   standby-bench write-files N DIR [BYTES] [--folders 200]
//   standby-bench read FILE
//
// Every time is the median of --repeat runs, measured with ContinuousClock (CLOCK_MONOTONIC).
// Peak RSS is getrusage(RUSAGE_SELF).ru_maxrss: the whole process's high-water mark so far.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import StandbyCore

// MARK: - Measuring

/// Peak resident set size of this process so far, in bytes.
func peakRSS() -> Int {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    #if canImport(Darwin)
    return Int(usage.ru_maxrss)             // bytes on Darwin
    #else
    return Int(usage.ru_maxrss) * 1024      // KiB on Linux
    #endif
}

/// Current resident set size, in bytes (Linux: /proc/self/statm; elsewhere 0).
func currentRSS() -> Int {
    guard let f = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(f) }
    var buffer = [CChar](repeating: 0, count: 128)
    guard fgets(&buffer, Int32(buffer.count), f) != nil else { return 0 }
    let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let fields = line.split(separator: " ")
    guard fields.count >= 2, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func seconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) + Double(c.attoseconds) / 1e18
}

/// Runs `body` `times` times; returns the median duration in seconds and the last result.
func measure<T>(_ times: Int, _ body: () throws -> T) rethrows -> (seconds: Double, all: [Double], result: T) {
    let clock = ContinuousClock()
    var durations: [Double] = []
    var last: T? = nil
    for _ in 0..<max(1, times) {
        last = nil                                  // drop the previous result before the next run
        let start = clock.now
        let r = try body()
        durations.append(seconds(clock.now - start))
        last = r
    }
    let sorted = durations.sorted()
    return (sorted[sorted.count / 2], durations, last!)
}

// MARK: - Printing

func mib(_ bytes: Int) -> String { fmt(Double(bytes) / 1_048_576, 1) + " MiB" }

func fmt(_ x: Double, _ decimals: Int) -> String {
    guard x.isFinite else { return "\(x)" }
    var p = 1.0
    for _ in 0..<decimals { p *= 10 }
    let r = (x * p).rounded() / p
    var s = "\(r)"
    if s.contains("e") { return s }
    if decimals == 0 { return String(Int(r)) }
    let parts = s.split(separator: ".", omittingEmptySubsequences: false)
    let frac = parts.count > 1 ? String(parts[1]) : ""
    s = String(parts[0]) + "." + frac + String(repeating: "0", count: max(0, decimals - frac.count))
    return s
}

func grouped(_ n: Int) -> String {
    let s = String(n.magnitude)
    var out = ""
    for (i, c) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

func runs(_ all: [Double]) -> String { "[" + all.map { fmt($0, 3) }.joined(separator: ", ") + "]" }

/// Edges of a selection: the references its included resources make, each resolved target once,
/// plus the dangling ones. Counted after the timed runs, with a fresh resolver (not timed).
func countEdges(_ selection: Selection) -> (resolved: Int, dangling: Int) {
    let resolver = ReferenceResolver(inventory: selection.inventory)
    var resolved = 0, dangling = 0
    for r in selection.resources {
        for ref in resolver.references(of: r) {
            if ref.isDangling { dangling += 1 } else { resolved += ref.targets.count }
        }
    }
    return (resolved, dangling)
}

func printSelection(_ sel: Selection, label: String) {
    let s = sel.summary
    print("  \(label): \(grouped(s.total)) resources included (\(grouped(s.selected)) selected, \(grouped(s.pulledIn)) pulled in), \(grouped(s.dangling)) dangling, \(grouped(s.excluded)) excluded")
}

// MARK: - Commands

struct Arguments {
    var positional: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    init(_ args: ArraySlice<String>, valued: Set<String>) throws {
        var it = args.makeIterator()
        while let a = it.next() {
            if a.hasPrefix("--") {
                var name = String(a.dropFirst(2)), value: String? = nil
                if let eq = name.firstIndex(of: "=") { value = String(name[name.index(after: eq)...]); name = String(name[..<eq]) }
                if valued.contains(name) {
                    guard let v = value ?? it.next() else { throw Usage("--\(name) needs a value") }
                    options[name] = v
                } else if value == nil {
                    flags.insert(name)
                } else {
                    throw Usage("unknown option --\(name)")
                }
            } else {
                positional.append(a)
            }
        }
    }

    func int(_ name: String, _ fallback: Int) throws -> Int {
        guard let v = options[name] else { return fallback }
        guard let n = Int(v.replacingOccurrences(of: "_", with: "")), n >= 0 else { throw Usage("--\(name): not a count: \(v)") }
        return n
    }
}

struct Usage: Error { var message: String; init(_ m: String) { message = m } }

let usage = """
usage: standby-bench walk [--sizes 10000,100000] [--arm 5000] [--repeat 3] [--no-edges]
       standby-bench load FILE [--cluster bench] [--namespaces 200] [--repeat 3] [--no-parse] [--no-teardown]
       standby-bench plan FILE [--out /tmp/standby-bench-plan] [--namespaces 200]
       standby-bench apply --server URL [--objects 10000] [--in-flight 16]
       standby-bench generate N FILE
       standby-bench yaml FILE [--repeat 3]
       standby-bench write-files N DIR [BYTES] [--folders 200]
       standby-bench read FILE

walk  generates SyntheticEstate.make(kubeObjects: N, armResources: ARM) in memory for each N, then
      selects the synthetic AKS managed cluster as root plus every application namespace and times
      the closure (Selection). --no-edges skips the (untimed) count of references followed.
load  times reading + JSONParser.parse alone (skip with --no-parse), then
      InventoryLoader.load(path: FILE, options: LoadOptions(cluster: CLUSTER)) on a kubectl List (as
      written by generate), then selects namespaces ns0..ns<namespaces-1>, times the walk, and
      times freeing both. --no-teardown exits right after the walk instead, without freeing
      anything, as `standby run` does after a successful runbook (the side-by-side run).
plan  one run of the whole plan without Lua: load, select ns0..ns<namespaces-1>, translate with the
      built-ins, build the plan and write it to --out; wall and CPU seconds of each stage.
generate  writes FILE (atomically): a kubectl List of N Deployments in ns0..ns199 referencing
      ConfigMaps, Secrets, ServiceAccounts, PVCs, an IRSA role and a primary-account ECR image
      (DeploymentListEstate); the same N gives the same bytes.
yaml  times the YAMLLimits pre-scan of FILE alone, then the whole YAMLDocuments read (pre-scan
      included), and prints the share of the read the pre-scan takes.
write-files  the minimal writer: N files of BYTES (default 900) under DIR (made; must not exist)
      in a plan folder's layout (kubernetes/bench/ns<k>/Deployment/app<i>.yaml, FOLDERS
      namespaces), plain open/write/close, no fsync; wall and CPU seconds.
read  reads FILE whole into memory with read(2), then one pass touching every byte; wall seconds
      of each.
"""

func yamlCommand(_ args: Arguments) throws {
    guard let file = args.positional.first else { throw Usage("yaml needs a FILE") }
    let times = try args.int("repeat", 3)
    guard let data = FileManager.default.contents(atPath: file) else { throw Usage("cannot read \(file)") }
    let text = String(decoding: data, as: UTF8.self)
    print("yaml: \(file), \(mib(data.count)), median of \(times) runs")
    let scan = try measure(times) { try YAMLLimits.check(text, source: file) }
    print("  pre-scan  \(fmt(scan.seconds, 3)) s  \(runs(scan.all))")
    let read = try measure(times) { try YAMLDocuments.documents(text, source: file).count }
    print("  read      \(fmt(read.seconds, 3)) s  \(runs(read.all))  \(grouped(read.result)) documents")
    print("  pre-scan share of the read: \(fmt(100 * scan.seconds / read.seconds, 1)) %  peak RSS \(mib(peakRSS()))")
}

func walkCommand(_ args: Arguments) throws {
    let sizes = try (args.options["sizes"] ?? "10000,100000").split(separator: ",").map { s -> Int in
        guard let n = Int(s.replacingOccurrences(of: "_", with: "")), n > 0 else { throw Usage("--sizes: not a count: \(s)") }
        return n
    }
    let arm = try args.int("arm", 5000)
    let times = try args.int("repeat", 3)
    let edges = !args.flags.contains("no-edges")
    print("walk: synthetic estate, \(grouped(arm)) ARM resources, median of \(times) runs")
    var walkTimes: [(n: Int, seconds: Double)] = []
    for n in sizes {
        let gen = measure(times) { SyntheticEstate.make(kubeObjects: n, armResources: arm) }
        let inventory = gen.result
        let kube = inventory.resources.filter(\.isKubernetesObject).count
        let apps = max(1, n / 10)
        let namespaces = (apps + 19) / 20
        let request = SelectionRequest(roots: [SyntheticEstate.managedClusterID],
                                       namespaces: (0..<namespaces).map(SyntheticEstate.namespace))
        print("N = \(grouped(n)): \(grouped(inventory.count)) resources (\(grouped(kube)) Kubernetes objects, \(grouped(inventory.count - kube)) ARM), \(namespaces) namespaces")
        print("  generate: \(fmt(gen.seconds, 3)) s  runs \(runs(gen.all))  peak RSS \(mib(peakRSS()))")
        let w = measure(times) { inventory.select(request) }
        let sel = w.result
        printSelection(sel, label: "select")
        print("  walk:     \(fmt(w.seconds, 3)) s  runs \(runs(w.all))  \(grouped(Int((Double(inventory.count) / w.seconds).rounded()))) objects/s (inventory), \(grouped(Int((Double(sel.resources.count) / w.seconds).rounded()))) included/s  peak RSS \(mib(peakRSS()))  current RSS \(mib(currentRSS()))")
        if edges {
            let e = countEdges(sel)
            print("  edges:    \(grouped(e.resolved)) resolved + \(grouped(e.dangling)) dangling references from the included resources  (\(grouped(Int((Double(e.resolved + e.dangling) / w.seconds).rounded()))) edges/s)")
        }
        walkTimes.append((n, w.seconds))
    }
    if walkTimes.count >= 2, let a = walkTimes.first, let b = walkTimes.last {
        let label = "\(compact(b.n))/\(compact(a.n))"
        print("\(label) time ratio = \(fmt(b.seconds / a.seconds, 2)) (linear ≈ \(fmt(Double(b.n) / Double(a.n), 0)))")
    }
}

func compact(_ n: Int) -> String {
    if n % 1_000_000 == 0 { return "\(n / 1_000_000)M" }
    if n % 1000 == 0 { return "\(n / 1000)k" }
    return "\(n)"
}

func loadCommand(_ args: Arguments) throws {
    guard args.positional.count == 1, let file = args.positional.first else { throw Usage("load needs one FILE") }
    let cluster = args.options["cluster"] ?? "bench"
    let times = try args.int("repeat", 3)
    let nsCount = try args.int("namespaces", 200)
    print("load: \(file), LoadOptions(cluster: \"\(cluster)\"), median of \(times) runs")
    if !args.flags.contains("no-parse") {
        // Breakdown: reading + JSONParser.parse alone (the tree the loader then turns into resources).
        // The tree's resident size is taken after the first run only (later runs reuse freed heap).
        let before = currentRSS()
        var tree: Int? = nil
        let parse = try measure(times) { () -> (Int, JSONValue) in
            guard let data = FileManager.default.contents(atPath: file) else { throw Usage("cannot read \(file)") }
            let value = try JSONParser.parse(data, source: file)
            if tree == nil { tree = currentRSS() - before - data.count }     // the file's bytes are still resident here
            return (data.count, value)
        }
        let items = parse.result.1["items"]?.arrayValue?.count ?? 0
        print("  read+parse: \(fmt(parse.seconds, 3)) s  runs \(runs(parse.all))  \(mib(parse.result.0)) file, \(grouped(items)) items, parsed tree ≈ \(mib(tree ?? 0)) resident  peak RSS \(mib(peakRSS()))")
    }
    var load: (seconds: Double, all: [Double], result: Inventory)? =
        try measure(times) { try InventoryLoader.load(path: file, options: LoadOptions(cluster: cluster)) }
    let loadSeconds = load!.seconds
    print("  load:     \(fmt(loadSeconds, 3)) s  runs \(runs(load!.all))  \(grouped(load!.result.count)) resources  peak RSS \(mib(peakRSS()))  current RSS \(mib(currentRSS()))")
    let request = SelectionRequest(namespaces: (0..<nsCount).map { "ns\($0)" })
    var w: (seconds: Double, all: [Double], result: Selection)? = measure(times) { load!.result.select(request) }
    let walkSeconds = w!.seconds
    printSelection(w!.result, label: "select ns0..ns\(nsCount - 1)")
    print("  walk:     \(fmt(walkSeconds, 3)) s  runs \(runs(w!.all))  \(grouped(Int((Double(w!.result.resources.count) / walkSeconds).rounded()))) included/s  peak RSS \(mib(peakRSS()))  current RSS \(mib(currentRSS()))")
    // Translate: every selected object through the built-ins (primary-account ECR images, IRSA
    // annotations, regions) into account 222222222222 / us-west-2, as the jq anchor rewrites.
    let settings = TranslationSettings(to: RecoveryEnvironment(aws: AWSSite(account: "222222222222", region: "us-west-2")),
                                       from: SourceEnvironment(accounts: ["111111111111"], regions: ["us-east-1"]))
    var tr: (seconds: Double, all: [Double], result: Translation)? = measure(times) {
        Translator(settings: settings).translate(w!.result)
    }
    let translateSeconds = tr!.seconds
    print("  translate: \(fmt(translateSeconds, 3)) s  runs \(runs(tr!.all))  \(tr!.result.summary)  peak RSS \(mib(peakRSS()))  current RSS \(mib(currentRSS()))")
    if args.flags.contains("no-teardown") {
        // As the `standby` CLI after a successful run: exit without freeing (see Run.swift).
        fflush(nil)    // every C stdio stream
        withExtendedLifetime((load, w, tr)) { exit(0) }
    }
    // Freeing the selection and the inventory: a process that lets them go out of scope pays this too.
    let clock = ContinuousClock(), start = clock.now
    tr = nil
    w = nil
    load = nil
    let teardown = seconds(clock.now - start)
    print("  teardown: \(fmt(teardown, 3)) s  (freeing the selection and the inventory, one run)")
    print("  load+walk+translate: \(fmt(loadSeconds + walkSeconds + translateSeconds, 3)) s, with teardown \(fmt(loadSeconds + walkSeconds + translateSeconds + teardown, 3)) s")
}

/// CPU seconds of this process so far (user + system, every thread).
func cpuSeconds() -> Double {
    var u = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &u)
    #else
    getrusage(RUSAGE_SELF, &u)
    #endif
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

func planCommand(_ args: Arguments) throws {
    guard args.positional.count == 1, let file = args.positional.first else { throw Usage("plan needs one FILE") }
    let out = args.options["out"] ?? "/tmp/standby-bench-plan"
    let nsCount = try args.int("namespaces", 200)
    print("plan: \(file) → \(out), one run, wall and CPU seconds per stage (built-ins only, no rules)")
    let clock = ContinuousClock()
    func stage<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = clock.now, cpu = cpuSeconds()
        let result = try body()
        print("  \(name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(fmt(seconds(clock.now - start), 2)) s wall  \(fmt(cpuSeconds() - cpu, 2)) s cpu  peak RSS \(mib(peakRSS()))")
        return result
    }
    let inventory = try stage("load") { try InventoryLoader.load(path: file, options: LoadOptions(cluster: "bench")) }
    let selection = stage("select") { inventory.select(SelectionRequest(namespaces: (0..<nsCount).map { "ns\($0)" })) }
    let settings = TranslationSettings(to: RecoveryEnvironment(aws: AWSSite(account: "222222222222", region: "us-west-2")),
                                       from: SourceEnvironment(accounts: ["111111111111"], regions: ["us-east-1"]))
    let translation = stage("translate") { Translator(settings: settings).translate(selection) }
    let plan = stage("plan") { RecoveryPlan(translation) }
    let files = try stage("write") { try plan.write(to: out) }
    print("  \(grouped(files.count)) files")
    fflush(nil)
    withExtendedLifetime((inventory, selection, translation, plan)) { exit(0) }
}

func generateCommand(_ args: Arguments) throws {
    guard args.positional.count == 2, let n = Int(args.positional[0].replacingOccurrences(of: "_", with: "")), n >= 0 else {
        throw Usage("generate needs a count N and a FILE")
    }
    let file = args.positional[1]
    try DeploymentListEstate.write(count: n, to: file)
    print(file)
}

/// Writes a line to standard error.
func printError(_ line: String) {
    let s = line + "\n"
    _ = s.withCString { write(2, $0, strlen($0)) }
}

var argv = CommandLine.arguments.dropFirst()
do {
    guard let command = argv.popFirst() else { throw Usage("") }
    switch command {
    case "walk": try walkCommand(Arguments(argv, valued: ["sizes", "arm", "repeat"]))
    case "load": try loadCommand(Arguments(argv, valued: ["cluster", "namespaces", "repeat"]))
    case "plan": try planCommand(Arguments(argv, valued: ["out", "namespaces"]))
    case "generate": try generateCommand(Arguments(argv, valued: []))
    case "yaml": try yamlCommand(Arguments(argv, valued: ["repeat"]))
    case "write-files": try writeFilesCommand(Arguments(argv, valued: ["folders"]))
    case "read": try readCommand(Arguments(argv, valued: []))
    case "apply": try applyCommand(Arguments(argv, valued: ["server", "objects", "in-flight"]))
    case "-h", "--help", "help": print(usage)
    default: throw Usage("unknown command \(command)")
    }
} catch let u as Usage {
    if !u.message.isEmpty { printError("standby-bench: \(u.message)") }
    printError(usage)
    exit(2)
} catch {
    printError("standby-bench: \(error)")
    exit(1)
}
