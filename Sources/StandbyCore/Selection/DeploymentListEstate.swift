import Foundation

/// A big generated estate for the side-by-side benchmark: a `kubectl get -o json` List of N
/// Deployments in namespaces `ns0`…`ns199`, each referencing its ConfigMap `cm<i>`, Secret
/// `sec<i>`, ServiceAccount `sa<i>` and PVC `pvc<i>`, annotated with an IRSA role of account
/// 111111111111 and running a primary-account ECR image (`111111111111.dkr.ecr.us-east-1…`).
/// The referenced objects are not in the list: the walk reports them dangling.
///
/// Deterministic: the same N gives the same bytes (the `tier` label comes from a fixed-seed
/// SplitMix64, not from the clock).
public enum DeploymentListEstate {
    static let tiers = ["web", "api", "batch"]

    /// Deployment `app<i>`, with the tier label `tier`.
    public static func deployment(_ i: Int, tier: String) -> JSONValue {
        let app = JSONValue.string("app\(i)")
        return [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": [
                "name": app, "namespace": .string("ns\(i % 200)"), "labels": ["app": app, "tier": .string(tier)],
                "annotations": ["eks.amazonaws.com/role-arn": .string("arn:aws:iam::111111111111:role/app\(i)")],
                "uid": .string("uid-\(i)"), "resourceVersion": .string("\(i)"),
            ],
            "spec": [
                "replicas": 2, "selector": ["matchLabels": ["app": app]],
                "template": [
                    "metadata": ["labels": ["app": app]],
                    "spec": [
                        "serviceAccountName": .string("sa\(i)"),
                        "containers": [[
                            "name": "main", "image": .string("111111111111.dkr.ecr.us-east-1.amazonaws.com/team/app\(i):1.\(i % 10)"),
                            "envFrom": [["configMapRef": ["name": .string("cm\(i)")]]],
                            "env": [["name": "DB", "valueFrom": ["secretKeyRef": ["name": .string("sec\(i)"), "key": "pw"]]]],
                            "resources": ["requests": ["cpu": "100m", "memory": "128Mi"]],
                        ]],
                        "volumes": [["name": "data", "persistentVolumeClaim": ["claimName": .string("pvc\(i)")]]],
                    ],
                ],
            ],
            "status": ["replicas": 2, "readyReplicas": 2],
        ]
    }

    /// Writes the List of `count` Deployments to `path` as compact JSON, atomically: the text goes
    /// to a temporary file beside `path`, which replaces it in one rename only when complete.
    /// The list is written one Deployment at a time, never held whole in memory.
    public static func write(count: Int, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let temp = (folder.isEmpty ? "." : folder) + "/.\((path as NSString).lastPathComponent).tmp-\(UUID().uuidString)"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw GenerateError(path: path, reason: String(cString: strerror(errno))) }
        var isOpen = true, complete = false
        defer {
            if isOpen { close(fd) }
            if !complete { unlink(temp) }
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20 + 4096)
        func flush() throws {
            try buffer.withUnsafeBufferPointer { bytes in
                var offset = 0
                while offset < bytes.count {
                    let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw GenerateError(path: path, reason: String(cString: strerror(errno)))
                    }
                    offset += n
                }
            }
            buffer.removeAll(keepingCapacity: true)
        }
        buffer += Array(#"{"apiVersion":"v1","kind":"List","items":["#.utf8)
        var random = SplitMix64(seed: 7)
        for i in 0..<count {
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            let tier = tiers[Int(random.next() % UInt64(tiers.count))]
            JSONSerializer.serialize(deployment(i, tier: tier), into: &buffer)
            if buffer.count >= 1 << 20 { try flush() }
        }
        buffer += Array("]}".utf8)
        try flush()
        guard fsync(fd) == 0 else { throw GenerateError(path: path, reason: String(cString: strerror(errno))) }
        isOpen = false
        guard close(fd) == 0, rename(temp, path) == 0 else {
            throw GenerateError(path: path, reason: String(cString: strerror(errno)))
        }
        complete = true
    }

    /// Why the list could not be written.
    public struct GenerateError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }
}
