import Foundation

/// Which kubeconfig and context a Kubernetes connection uses, as `kubectl --kubeconfig --context`.
public struct KubeSettings: Sendable {
    /// A kubeconfig path; nil reads `$KUBECONFIG` (a colon-separated list, merged as kubectl
    /// merges it: for each entry name, and for `current-context`, the first file that sets it
    /// wins), or `~/.kube/config` when that is unset.
    public var kubeconfig: String?
    /// The context to use; nil uses the kubeconfig's `current-context`.
    public var context: String?
    /// Where `KUBECONFIG`, `HOME` and `PATH` are read from, and the environment exec credential
    /// plugins inherit.
    public var environment: [String: String]

    /// Settings naming a kubeconfig and context, or the defaults kubectl would take.
    public init(kubeconfig: String? = nil, context: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.kubeconfig = kubeconfig
        self.context = context
        self.environment = environment
    }

    /// The kubeconfig files to read, in precedence order, and whether each must exist (an explicit
    /// path must; entries of `$KUBECONFIG` that do not exist are ignored, as kubectl ignores them).
    func kubeconfigFiles() -> [(path: String, required: Bool)] {
        if let kubeconfig { return [(expandingTilde(kubeconfig), true)] }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            let paths = list.split(separator: ":").map { expandingTilde(String($0)) }
            var unique: [String] = []
            for path in paths where !unique.contains(path) { unique.append(path) }
            return unique.map { ($0, false) }
        }
        return [((home as NSString).appendingPathComponent(".kube/config"), true)]
    }

    private var home: String { environment["HOME"] ?? NSHomeDirectory() }

    private func expandingTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return home + path.dropFirst()
    }
}
