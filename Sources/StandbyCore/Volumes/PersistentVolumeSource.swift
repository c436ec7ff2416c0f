/// What a PersistentVolume's spec says about its cloud volume: which kind, the id, where in the
/// document the id is written (the path the restore rewrites), the zone it must be in and its size.
///
/// Read from the CSI forms (`spec.csi.driver` `disk.csi.azure.com`, `ebs.csi.aws.com`,
/// `efs.csi.aws.com`, `file.csi.azure.com`) and the in-tree forms (`spec.azureDisk.diskURI`,
/// `spec.awsElasticBlockStore.volumeID`, which may be `aws://<zone>/vol-…`, `spec.azureFile`).
public struct PersistentVolumeSource: Sendable, Hashable {
    public var kind: VolumeKind
    /// The CSI driver, or `kubernetes.io/azure-disk` / `kubernetes.io/aws-ebs` / `kubernetes.io/azure-file` for in-tree volumes.
    public var driver: String
    /// The cloud id: the disk's ARM id, the `vol-` id, the `fs-` id, or `account/share` for a file share.
    public var volumeID: String
    /// Dotted path of the value that names the volume (`spec.csi.volumeHandle`).
    public var path: String
    /// The value at ``path`` as written (`aws://us-east-1a/vol-…` for an in-tree EBS volume).
    public var handle: String
    /// The zone the volume is in, from the handle or the PV's node affinity (`westeurope-1`, `us-east-1a`).
    public var zone: String?
    /// `spec.capacity.storage` in GiB, rounded up; nil when absent or unreadable.
    public var sizeGiB: Int?

    public init(kind: VolumeKind, driver: String, volumeID: String, path: String, handle: String, zone: String? = nil,
                sizeGiB: Int? = nil) {
        self.kind = kind; self.driver = driver; self.volumeID = volumeID; self.path = path; self.handle = handle
        self.zone = zone; self.sizeGiB = sizeGiB
    }

    /// ``path`` as components.
    public var pathComponents: [JSONPathComponent] { path.split(separator: ".").map { .key(String($0)) } }

    /// Topology keys whose first `In` value is the volume's zone, most specific first.
    static let zoneKeys = ["topology.disk.csi.azure.com/zone", "topology.ebs.csi.aws.com/zone", "topology.kubernetes.io/zone",
                           "failure-domain.beta.kubernetes.io/zone"]

    /// The source of a PersistentVolume document; nil for any other volume type (NFS, local, hostPath…)
    /// or a PV whose handle is empty.
    public static func read(_ pv: JSONValue) -> PersistentVolumeSource? {
        guard let spec = pv["spec"] else { return nil }
        let zone = nodeAffinityZone(spec) ?? labelZone(pv)
        let size = spec[path: [.key("capacity"), .key("storage")]]?.stringValue.flatMap(gibibytes)
        if let csi = spec["csi"], let driver = csi["driver"]?.stringValue {
            let handle = csi["volumeHandle"]?.stringValue ?? ""
            let path = "spec.csi.volumeHandle"
            switch driver {
            case "disk.csi.azure.com" where !handle.isEmpty:
                return .init(kind: .azureDisk, driver: driver, volumeID: handle, path: path, handle: handle, zone: zone, sizeGiB: size)
            case "ebs.csi.aws.com" where !handle.isEmpty:
                return .init(kind: .ebs, driver: driver, volumeID: handle, path: path, handle: handle, zone: zone, sizeGiB: size)
            case "efs.csi.aws.com" where !handle.isEmpty:
                let fs = String(handle.prefix { $0 != ":" })
                return .init(kind: .efs, driver: driver, volumeID: fs, path: path, handle: handle, zone: zone, sizeGiB: size)
            case "file.csi.azure.com":
                let attrs = csi["volumeAttributes"] ?? .null
                let parts = handle.split(separator: "#", omittingEmptySubsequences: false).map(String.init)
                let account = attrs["storageAccount"]?.stringValue ?? attrs["storageaccount"]?.stringValue
                    ?? (parts.count >= 3 && !parts[1].isEmpty ? parts[1] : nil)
                let share = attrs["shareName"]?.stringValue ?? attrs["sharename"]?.stringValue
                    ?? (parts.count >= 3 && !parts[2].isEmpty ? parts[2] : nil)
                let id = [account ?? "(storage account from the secret)", share ?? "(share)"].joined(separator: "/")
                return .init(kind: .azureFiles, driver: driver, volumeID: id, path: path, handle: handle, zone: zone, sizeGiB: size)
            default:
                return nil
            }
        }
        if let uri = spec[path: [.key("azureDisk"), .key("diskURI")]]?.stringValue, !uri.isEmpty {
            return .init(kind: .azureDisk, driver: "kubernetes.io/azure-disk", volumeID: uri, path: "spec.azureDisk.diskURI",
                         handle: uri, zone: zone, sizeGiB: size)
        }
        if let raw = spec[path: [.key("awsElasticBlockStore"), .key("volumeID")]]?.stringValue, !raw.isEmpty {
            let (vol, handleZone) = inTreeEBS(raw)
            return .init(kind: .ebs, driver: "kubernetes.io/aws-ebs", volumeID: vol, path: "spec.awsElasticBlockStore.volumeID",
                         handle: raw, zone: handleZone ?? zone, sizeGiB: size)
        }
        if let af = spec["azureFile"], let share = af["shareName"]?.stringValue {
            return .init(kind: .azureFiles, driver: "kubernetes.io/azure-file", volumeID: "(storage account from the secret)/\(share)",
                         path: "spec.azureFile.shareName", handle: share, zone: zone, sizeGiB: size)
        }
        return nil
    }

    /// `aws://us-east-1a/vol-0abc…` → (`vol-0abc…`, `us-east-1a`); `vol-0abc…` → (`vol-0abc…`, nil).
    static func inTreeEBS(_ raw: String) -> (String, String?) {
        guard raw.hasPrefix("aws://") else { return (raw, nil) }
        let rest = raw.dropFirst("aws://".count)
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let vol = parts.last, !vol.isEmpty else { return (raw, nil) }
        let zone = parts.count >= 2 && !parts[0].isEmpty ? parts[0] : nil
        return (vol, zone)
    }

    static func nodeAffinityZone(_ spec: JSONValue) -> String? {
        guard let terms = spec[path: [.key("nodeAffinity"), .key("required"), .key("nodeSelectorTerms")]]?.arrayValue else { return nil }
        for key in zoneKeys {
            for term in terms {
                for e in term["matchExpressions"]?.arrayValue ?? [] where e["key"]?.stringValue == key {
                    if e["operator"]?.stringValue == "In", let v = e["values"]?.arrayValue?.first?.stringValue { return v }
                }
            }
        }
        return nil
    }

    static func labelZone(_ pv: JSONValue) -> String? {
        guard let labels = pv[path: [.key("metadata"), .key("labels")]] else { return nil }
        for key in zoneKeys { if let v = labels[key]?.stringValue { return v } }
        return nil
    }

    /// A Kubernetes quantity (`64Gi`, `5G`, `1Ti`, `512Mi`, `10737418240`) in GiB, rounded up.
    public static func gibibytes(_ quantity: String) -> Int? {
        let units: [(String, Double)] = [("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
                                         ("Pi", 1_125_899_906_842_624), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15)]
        var number = Substring(quantity)
        var factor = 1.0
        for (suffix, f) in units where quantity.hasSuffix(suffix) {
            number = quantity.dropLast(suffix.count); factor = f; break
        }
        guard let n = Double(number), n >= 0, n.isFinite else { return nil }
        let bytes = n * factor
        guard bytes < 1e18 else { return nil }
        return Int((bytes / 1_073_741_824).rounded(.up))
    }
}
