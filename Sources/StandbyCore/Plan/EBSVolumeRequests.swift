/// The `ec2 CreateVolume` requests that bring EBS volumes back from their snapshot copies
/// (``VolumeRestorePlan``), joined to the EKS plan of the PersistentVolume's recovery cluster.
///
/// Each request creates the volume in the recovery AZ from the copy (`SnapshotId`), with the
/// source volume's type, IOPS and throughput when the inventory holds it, encrypted with the
/// copy's KMS key when the copy is encrypted, tagged with the recovery point and the
/// PersistentVolume (``VolumeRestore/pvTag``, which finds it again when the plan is re-applied). The volume id is AWS's to assign: the request's
/// `pending` says the PersistentVolume's handle takes its `VolumeId`, and the manifest holds
/// ``VolumeRestore/pendingHandle`` until then.
enum EBSVolumeRequests {
    static func adding(to plans: [EKSRecoveryPlan], _ translation: Translation) -> [EKSRecoveryPlan] {
        var plans = plans
        guard let aws = translation.settings.to.aws else { return plans }
        for v in translation.volumes.restores where v.source.kind == .ebs && v.action == .fromCopy {
            guard let copy = v.copy else { continue }
            let cluster = translation.ids.clusterName(v.cluster)
            let n: Int
            if let i = plans.firstIndex(where: { $0.cluster == cluster }) { n = i } else {
                plans.append(EKSRecoveryPlan(cluster: cluster, requests: []))
                n = plans.count - 1
            }
            let source = v.volumeResource.flatMap { translation.resource($0) }?.source.document
            var body: [(String, JSONValue)] = [("AvailabilityZone", .string(v.recoveryZone ?? aws.region + "a")),
                                               ("SnapshotId", .string(copy.id))]
            // DescribeVolumes reports a gp2 volume's baseline IOPS too, but CreateVolume takes
            // Iops only for io1, io2 and gp3, and Throughput only for gp3.
            let type = source?["VolumeType"]?.stringValue
            for key in ["VolumeType", "Iops", "Throughput"] {
                guard let value = source?[key], !value.isNull else { continue }
                if key == "Iops", !["io1", "io2", "gp3"].contains(type ?? "") { continue }
                if key == "Throughput", type != "gp3" { continue }
                body.append((key, value))
            }
            if let key = copy.encryptionKey, !key.isEmpty {
                // The copy was encrypted with the recovery region's key: the volume is too.
                body += [("Encrypted", .bool(true)), ("KmsKeyId", .string(key))]
            }
            var tags: [JSONValue] = [tag(SnapshotCopy.volumeTag, v.source.volumeID), tag(VolumeRestore.pvTag, v.display),
                                     tag("kubernetes.io/created-for/pv/name", v.display.split(separator: "/").last.map(String.init) ?? v.display)]
            if let point = copy.point { tags.insert(tag(SnapshotCopy.pointTag, point), at: 0) }
            body.append(("TagSpecification", .array([.object(JSONObject([("ResourceType", "volume"), ("Tag", .array(tags))]))])))
            let step = plans[n].requests.count + 1
            plans[n].requests.append(EKSRequest(step: step, service: "ec2", operation: "CreateVolume", account: aws.account,
                                                region: aws.region, body: .object(JSONObject(body)),
                                                creates: "EBS volume for PersistentVolume \(v.display) (from \(copy.id); AWS assigns the vol- id)",
                                                pending: ["PersistentVolume \(v.display) \(v.source.path)": "VolumeId"]))
        }
        return plans
    }

    static func tag(_ key: String, _ value: String) -> JSONValue {
        .object(JSONObject([("Key", .string(key)), ("Value", .string(value))]))
    }
}
