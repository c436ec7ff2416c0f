import Foundation

/// Built-in extractors for Kubernetes objects: everything a workload needs to run, and the
/// objects' links to cloud resources (disks, file systems, Key Vaults, IAM roles, identities).
///
/// Direction of policy relations: a workload pulls in the PodDisruptionBudgets and
/// NetworkPolicies that select it, and the HPAs / ScaledObjects that scale it (relations
/// `disruption budget`, `network policy`, `scaled by`), found through indexes. A PDB or
/// NetworkPolicy does not pull in the workloads it selects: selecting a policy should not drag a
/// namespace's workloads into a recovery point, while a workload restored without its policies
/// would run differently.
public enum KubeReferences {
    static func register(into registry: inout ReferenceExtractorRegistry) {
        registry.registerForEveryKubernetesObject(ClosureReferenceExtractor(name: "kubernetes generic", generic))

        var byKind: [String: [ReferenceRule]] = [:]
        for rule in ReferenceTables.kubernetes where rule.appliesTo != "pod spec" {
            byKind[rule.appliesTo, default: []].append(rule)
        }
        for (kind, rules) in byKind.sorted(by: { $0.key < $1.key }) {
            let compiled = CompiledRules(rules)
            registry.register(kind: kind, name: "kubernetes table: \(kind)") { r, _ in kubeTable(r, compiled, base: []) }
        }
        registry.register(kind: "StatefulSet", group: "apps", name: "statefulset claims", statefulSetClaims)
        registry.register(kind: "PersistentVolumeClaim", group: "core", name: "pvc data source", claimDataSource)
        registry.register(kind: "PersistentVolume", group: "core", name: "persistent volume", persistentVolume)
        registry.register(kind: "Ingress", name: "ingress", ingress)
        registry.register(kind: "Service", group: "core", name: "service selector", service)
        registry.register(kind: "RoleBinding", group: "rbac.authorization.k8s.io", name: "rolebinding", binding)
        registry.register(kind: "ClusterRoleBinding", group: "rbac.authorization.k8s.io", name: "clusterrolebinding", binding)
        registry.register(kind: "ServiceAccount", group: "core", name: "serviceaccount", serviceAccount)
        registry.register(kind: "HorizontalPodAutoscaler", group: "autoscaling", name: "hpa", scaler)
        registry.register(kind: "ScaledObject", group: "keda.sh", name: "keda scaledobject", scaler)
        registry.register(kind: "ScaledJob", group: "keda.sh", name: "keda scaledjob", scaler)
        registry.register(kind: "SecretProviderClass", group: "secrets-store.csi.x-k8s.io", name: "secretproviderclass",
                          secretProviderClass)
        registry.register(kind: "ConfigMap", group: "core", name: "aws-auth", awsAuth)
        registry.register(kind: "StorageClass", group: "storage.k8s.io", name: "storageclass parameters", storageClass)
        for kind in ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"] {
            registry.register(kind: kind, group: "admissionregistration.k8s.io", name: "webhook") { r, _ in
                serviceRefs(r, PathPattern("webhooks[].clientConfig.service"), relation: "webhook service")
            }
        }
        registry.register(kind: "APIService", group: "apiregistration.k8s.io", name: "apiservice") { r, _ in
            serviceRefs(r, PathPattern("spec.service"), relation: "service")
        }
        registry.register(kind: "CustomResourceDefinition", group: "apiextensions.k8s.io", name: "crd conversion") { r, _ in
            serviceRefs(r, PathPattern("spec.conversion.webhook.clientConfig.service"), relation: "conversion webhook service")
                + serviceRefs(r, PathPattern("spec.conversion.webhookClientConfig.service"), relation: "conversion webhook service")
        }
    }

    // MARK: Shapes

    /// API groups served by Kubernetes itself; objects of any other group are custom resources.
    static let builtInGroups: Set<String> = [
        "", "apps", "batch", "autoscaling", "policy", "extensions", "networking.k8s.io", "rbac.authorization.k8s.io",
        "storage.k8s.io", "apiextensions.k8s.io", "admissionregistration.k8s.io", "scheduling.k8s.io",
        "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "node.k8s.io", "certificates.k8s.io",
        "flowcontrol.apiserver.k8s.io", "apiregistration.k8s.io", "authentication.k8s.io", "authorization.k8s.io",
        "resource.k8s.io", "internal.apiserver.k8s.io", "storagemigration.k8s.io", "metrics.k8s.io",
    ]

    /// The API group of a Kubernetes object (`""` for core), from the model or its apiVersion.
    static func group(of r: Resource) -> String {
        if let g = r.group { return normalizedGroup(g) }
        let apiVersion = r.apiVersion ?? r.document["apiVersion"]?.stringValue ?? "v1"
        return group(ofAPIVersion: apiVersion)
    }

    static func group(ofAPIVersion apiVersion: String) -> String {
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return normalizedGroup(String(apiVersion[..<slash]))
    }

    /// The pod spec of any object that runs pods, with its path: Pod `spec`, CronJob
    /// `spec.jobTemplate.spec.template.spec`, KEDA ScaledJob `spec.jobTargetRef.template.spec`, and
    /// `spec.template.spec` of anything else that has containers there (Deployment, StatefulSet,
    /// DaemonSet, ReplicaSet, Job, ReplicationController, Argo Rollout…).
    public static func podTemplate(of r: Resource) -> (spec: JSONValue, path: [JSONPathComponent])? {
        let d = r.document
        let templatePath: [JSONPathComponent]
        switch r.kind {
        case "Pod": return d["spec"].map { ($0, [.key("spec")]) }
        case "CronJob": templatePath = [.key("spec"), .key("jobTemplate"), .key("spec"), .key("template")]
        case "ScaledJob": templatePath = [.key("spec"), .key("jobTargetRef"), .key("template")]
        case "PodTemplate": templatePath = [.key("template")]
        default: templatePath = [.key("spec"), .key("template")]
        }
        guard let spec = d[path: templatePath + [.key("spec")]], spec["containers"]?.arrayValue != nil else { return nil }
        return (spec, templatePath + [.key("spec")])
    }

    /// The labels pods of `r` carry: a Pod's own labels, or its pod template's.
    static func podTemplateLabels(of r: Resource) -> [String: String] {
        let d = r.document
        switch r.kind {
        case "Pod": return d[path: [.key("metadata"), .key("labels")]]?.stringMap ?? [:]
        case "CronJob": return d[path: [.key("spec"), .key("jobTemplate"), .key("spec"), .key("template"), .key("metadata"), .key("labels")]]?.stringMap ?? [:]
        case "ScaledJob": return d[path: [.key("spec"), .key("jobTargetRef"), .key("template"), .key("metadata"), .key("labels")]]?.stringMap ?? [:]
        default: return d[path: [.key("spec"), .key("template"), .key("metadata"), .key("labels")]]?.stringMap ?? [:]
        }
    }

    /// The object an HPA or KEDA ScaledObject scales.
    static func scaleTarget(of r: Resource) -> (kind: String, name: String, group: String?)? {
        switch r.kind {
        case "HorizontalPodAutoscaler":
            guard let ref = r.document[path: [.key("spec"), .key("scaleTargetRef")]],
                  let name = ref["name"]?.stringValue, let kind = ref["kind"]?.stringValue else { return nil }
            return (kind, name, ref["apiVersion"]?.stringValue.map(group(ofAPIVersion:)))
        case "ScaledObject":
            guard let ref = r.document[path: [.key("spec"), .key("scaleTargetRef")]],
                  let name = ref["name"]?.stringValue else { return nil }
            return (ref["kind"]?.stringValue ?? "Deployment", name, group(ofAPIVersion: ref["apiVersion"]?.stringValue ?? "apps/v1"))
        default: return nil
        }
    }

    static func kube(_ kind: String, _ namespace: String?, _ name: String, group: String? = nil) -> ReferenceTarget {
        .kube(KubeTarget(kind: kind, namespace: namespace, name: name, group: group))
    }

    /// Rules compiled for one traversal of the document (see ``PathPatternSet``).
    struct CompiledRules: Sendable {
        let rules: [ReferenceRule]
        let patterns: PathPatternSet
        init(_ rules: [ReferenceRule]) { self.rules = rules; patterns = PathPatternSet(rules.map(\.path)) }
    }

    /// The references `rules` find in `value` (default: the document), rule by rule, each rule's in
    /// document order — what running each rule's ``PathPattern`` in turn would give, in one pass.
    static func kubeTable(_ r: Resource, _ compiled: CompiledRules, on value: JSONValue? = nil,
                          base: [JSONPathComponent]) -> [Reference] {
        var hits: [(rule: Int, value: String, path: String)] = []
        compiled.patterns.forEachString(in: value ?? r.document, base: base) { rule, v, path in
            hits.append((rule, v, path.dotted))
        }
        if hits.isEmpty { return [] }
        // Back to rule order; hits of one rule keep their (document) order.
        var sorted = true
        for i in 1..<hits.count where hits[i].rule < hits[i - 1].rule { sorted = false; break }
        if !sorted {
            hits = hits.enumerated().sorted { ($0.element.rule, $0.offset) < ($1.element.rule, $1.offset) }.map(\.element)
        }
        var out: [Reference] = []
        out.reserveCapacity(hits.count)
        for (n, v, path) in hits {
            let rule = compiled.rules[n]
            out.append(Reference(relation: rule.relation, path: path,
                                 target: kube(rule.targetType, rule.clusterScoped ? nil : r.namespace, v),
                                 expectedType: rule.targetType))
        }
        return out
    }

    static let podSpecRules = CompiledRules(ReferenceTables.kubernetes.filter { $0.appliesTo == "pod spec" })

    // MARK: Every object

    static func generic(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        var out: [Reference] = []
        let ns = r.namespace
        if let ns, !ns.isEmpty {
            out.append(Reference(relation: "namespace", path: "metadata.namespace", target: kube("Namespace", nil, ns),
                                 expectedType: "Namespace", isOptional: true))
        }
        for (i, o) in (r.document[path: [.key("metadata"), .key("ownerReferences")]]?.arrayValue ?? []).enumerated() {
            guard let kind = o["kind"]?.stringValue, let name = o["name"]?.stringValue else { continue }
            let g = o["apiVersion"]?.stringValue.map(group(ofAPIVersion:))
            out.append(Reference(relation: "owner", path: "metadata.ownerReferences[\(i)]",
                                 target: kube(kind, (KubeScope.clusterScopedKinds.contains(.init(group: g ?? "", kind: kind)) || (g == nil && KubeScope.clusterScopedKinds.contains { $0.kind == kind })) ? nil : ns, name, group: g),
                                 expectedType: kind))
        }
        let g = group(of: r)
        if let kind = r.kind, !builtInGroups.contains(g) {
            let key = KubeKey(cluster: r.cluster ?? "", kind: kind, namespace: g, name: "")
            if let crd = ctx.crdByGroupKind[key]?.first {
                out.append(Reference(relation: "definition", path: "apiVersion", target: .id(ctx.resources[crd].id)))
            } else {
                // Optional: add-ons and operators install their own CRDs, which exports often leave out.
                out.append(Reference(relation: "definition", path: "apiVersion",
                                     target: .unresolved("CustomResourceDefinition for \(kind).\(g)"),
                                     expectedType: "CustomResourceDefinition", isOptional: true))
            }
        }
        if let (spec, base) = podTemplate(of: r) {
            out += podSpec(spec, base: base, of: r, ctx)
            if !ctx.policiesByWorkload.isEmpty, let p = ctx.position[r.id] {
                for (policy, relation, path) in ctx.policiesByWorkload[p] ?? [] {
                    out.append(Reference(relation: relation, path: path, target: .id(ctx.resources[policy].id)))
                }
            }
        }
        if !ctx.autoscalersByTarget.isEmpty, let kind = r.kind, let name = r.name, let ns {
            for a in ctx.autoscalersByTarget[KubeKey(cluster: r.cluster ?? "", kind: kind, namespace: ns, name: name)] ?? [] {
                out.append(Reference(relation: "scaled by", path: "spec.scaleTargetRef", target: .id(ctx.resources[a].id)))
            }
        }
        return out
    }

    static func podSpec(_ spec: JSONValue, base: [JSONPathComponent], of r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        var out = kubeTable(r, podSpecRules, on: spec, base: base)
        // `system-node-critical` and `system-cluster-critical` are built into every cluster.
        for i in out.indices where out[i].relation == "priorityClass" {
            if case .kube(let t) = out[i].target, t.name.hasPrefix("system-") { out[i].isOptional = true }
        }
        let baseDotted = base.dotted
        let saName = spec["serviceAccountName"]?.stringValue
        if let sa = saName ?? spec["serviceAccount"]?.stringValue, !sa.isEmpty {
            let key = saName != nil ? "serviceAccountName" : "serviceAccount"
            out.append(Reference(relation: "serviceAccount", path: dotted(baseDotted, key),
                                 target: kube("ServiceAccount", r.namespace, sa), expectedType: "ServiceAccount"))
        } else {
            out.append(Reference(relation: "serviceAccount", path: dotted(baseDotted, "serviceAccountName"),
                                 target: kube("ServiceAccount", r.namespace, "default"), expectedType: "ServiceAccount",
                                 isOptional: true))
        }
        for c in ["initContainers", "containers"] {
            guard case .array(let containers)? = spec[c] else { continue }
            for (i, container) in containers.enumerated() {
                guard let image = container["image"]?.stringValue else { continue }
                if let ref = imageRepository(image, path: dotted(baseDotted, "\(c)[\(i)].image"), ctx) { out.append(ref) }
            }
        }
        return out
    }

    /// `base.rest`, or `rest` when `base` is empty (what `JSONPathComponent` arrays' `dotted` gives).
    private static func dotted(_ base: String, _ rest: String) -> String {
        base.isEmpty ? rest : base + "." + rest
    }

    /// ECR images → `AWS::ECR::Repository` (dangling only when the image's account owns other
    /// resources in the inventory); ACR images → the registry by name (optional).
    ///
    /// On the walk's hot path (every container of every workload): byte comparisons only, and
    /// `path` is built only for images that make a reference.
    static func imageRepository(_ image: String, path: @autoclosure () -> String, _ ctx: ExtractionContext) -> Reference? {
        guard let slash = image.utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        let host = image[..<slash]
        let isECR = utf8Contains(host, ".amazonaws.com")
        let isACR = host.hasSuffix(".azurecr.io")
        guard isECR || isACR else { return nil }
        var repo = image[image.utf8.index(after: slash)...]
        if let at = repo.utf8.firstIndex(of: UInt8(ascii: "@")) { repo = repo[..<at] }
        if let colon = repo.utf8.lastIndex(of: UInt8(ascii: ":")) { repo = repo[..<colon] }
        let labels = host.split(separator: ".")
        if isECR, labels.count >= 6, labels[1] == "dkr", labels[2] == "ecr" {
            let account = String(labels[0]), region = labels[3]
            let partition = host.hasSuffix(".com.cn") ? "aws-cn" : "aws"
            let arn = "arn:\(partition):ecr:\(region):\(account):repository/\(repo)"
            return Reference(relation: "image repository", path: path(), target: .id(arn), expectedType: "AWS::ECR::Repository",
                             isOptional: !ctx.awsAccounts.contains(account))
        }
        if isACR, let name = labels.first {
            let t = "Microsoft.ContainerRegistry/registries"
            if let reg = ctx.cloudResources(type: t, name: String(name)).first {
                return Reference(relation: "image repository", path: path(), target: .id(reg.id), expectedType: t)
            }
            return Reference(relation: "image repository", path: path(), target: .unresolved(String(host)), expectedType: t,
                             isOptional: true)
        }
        return nil
    }

    /// Whether `needle` occurs in `s`, comparing UTF-8 bytes.
    static func utf8Contains(_ s: Substring, _ needle: StaticString) -> Bool {
        let n = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = n.first else { return true }
        let h = s.utf8
        var i = h.startIndex
        while let start = h[i...].firstIndex(of: first) {
            var a = start, j = 0
            while j < n.count, a < h.endIndex, h[a] == n[j] { a = h.index(after: a); j += 1 }
            if j == n.count { return true }
            i = h.index(after: start)
        }
        return false
    }

    // MARK: Workloads and storage

    static func statefulSetClaims(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        guard let sts = r.name else { return [] }
        var out: [Reference] = []
        for (i, t) in (r.document[path: [.key("spec"), .key("volumeClaimTemplates")]]?.arrayValue ?? []).enumerated() {
            guard let name = t[path: [.key("metadata"), .key("name")]]?.stringValue else { continue }
            let key = KubeKey(cluster: r.cluster ?? "", kind: "", namespace: r.namespace ?? "", name: "\(name)-\(sts)")
            for p in ctx.claimsByStem[key] ?? [] {
                out.append(Reference(relation: "volumeClaimTemplate", path: "spec.volumeClaimTemplates[\(i)].metadata.name",
                                     target: .id(ctx.resources[p].id)))
            }
        }
        return out
    }

    static func claimDataSource(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        var out: [Reference] = []
        for key in ["dataSource", "dataSourceRef"] {
            guard let ds = r.document[path: [.key("spec"), .key(key)]], let kind = ds["kind"]?.stringValue,
                  let name = ds["name"]?.stringValue else { continue }
            let g = ds["apiGroup"]?.stringValue ?? ""
            out.append(Reference(relation: "dataSource", path: "spec.\(key)",
                                 target: kube(kind, ds["namespace"]?.stringValue ?? r.namespace, name, group: g), expectedType: kind))
        }
        return out
    }

    static func persistentVolume(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        let spec = r.document["spec"] ?? .null
        var out: [Reference] = []
        if let csi = spec["csi"], let driver = csi["driver"]?.stringValue {
            let handle = csi["volumeHandle"]?.stringValue ?? ""
            switch driver {
            case "disk.csi.azure.com" where !handle.isEmpty:
                out.append(Reference(relation: "Azure disk", path: "spec.csi.volumeHandle", target: .id(handle),
                                     expectedType: "Microsoft.Compute/disks"))
            case "ebs.csi.aws.com" where !handle.isEmpty:
                out.append(Reference(relation: "EBS volume", path: "spec.csi.volumeHandle", target: .id(handle),
                                     expectedType: "AWS::EC2::Volume"))
            case "efs.csi.aws.com" where !handle.isEmpty:
                let fs = String(handle.prefix { $0 != ":" })
                out.append(Reference(relation: "EFS file system", path: "spec.csi.volumeHandle", target: .id(fs),
                                     expectedType: "AWS::EFS::FileSystem"))
                if let r = handle.range(of: "::"), handle[r.upperBound...].hasPrefix("fsap-") {
                    let target = ReferenceTarget.id(String(handle[r.upperBound...]))
                    out.append(Reference(relation: "EFS access point", path: "spec.csi.volumeHandle", target: target,
                                         expectedType: "AWS::EFS::AccessPoint"))
                }
            case "file.csi.azure.com":
                let attrs = csi["volumeAttributes"] ?? .null
                var account = attrs["storageAccount"]?.stringValue ?? attrs["storageaccount"]?.stringValue
                var accountPath = "spec.csi.volumeAttributes.storageAccount"
                let rg = attrs["resourceGroup"]?.stringValue ?? attrs["resourcegroup"]?.stringValue
                if account == nil {
                    let parts = handle.split(separator: "#", omittingEmptySubsequences: false)
                    if parts.count >= 3, !parts[1].isEmpty { account = String(parts[1]); accountPath = "spec.csi.volumeHandle" }
                }
                var secretRef: (name: String, namespace: String, path: String)?
                if let n = csi[path: [.key("nodeStageSecretRef"), .key("name")]]?.stringValue {
                    secretRef = (n, csi[path: [.key("nodeStageSecretRef"), .key("namespace")]]?.stringValue ?? "default",
                                 "spec.csi.nodeStageSecretRef")
                } else if let n = attrs["secretName"]?.stringValue ?? attrs["secretname"]?.stringValue {
                    secretRef = (n, attrs["secretNamespace"]?.stringValue ?? attrs["secretnamespace"]?.stringValue ?? "default",
                                 "spec.csi.volumeAttributes.secretName")
                }
                var share = attrs["shareName"]?.stringValue ?? attrs["sharename"]?.stringValue
                if share == nil {
                    let parts = handle.split(separator: "#", omittingEmptySubsequences: false)
                    if parts.count >= 3, !parts[2].isEmpty { share = String(parts[2]) }
                }
                out += fileShare(account: account, accountPath: accountPath, resourceGroup: rg, share: share,
                                 secret: secretRef, r, ctx)
            default: break
            }
        }
        if let uri = spec[path: [.key("azureDisk"), .key("diskURI")]]?.stringValue, !uri.isEmpty {
            out.append(Reference(relation: "Azure disk", path: "spec.azureDisk.diskURI", target: .id(uri),
                                 expectedType: "Microsoft.Compute/disks"))
        }
        if let raw = spec[path: [.key("awsElasticBlockStore"), .key("volumeID")]]?.stringValue, !raw.isEmpty {
            out.append(Reference(relation: "EBS volume", path: "spec.awsElasticBlockStore.volumeID",
                                 target: .id(PersistentVolumeSource.inTreeEBS(raw).0), expectedType: "AWS::EC2::Volume"))
        }
        // The snapshots a capture made of the volume travel with it in the recovery point.
        if let source = PersistentVolumeSource.read(r.document), source.kind.isSnapshotted {
            for i in ctx.volumeSnapshots[Resource.lookupKey(source.volumeID)] ?? [] {
                out.append(Reference(relation: "volume snapshot", path: source.path, target: .id(ctx.resources[i].id),
                                     expectedType: ctx.resources[i].type))
            }
        }
        if let af = spec["azureFile"], let n = af["secretName"]?.stringValue {
            out += fileShare(account: nil, accountPath: "", resourceGroup: nil, share: af["shareName"]?.stringValue,
                             secret: (n, af["secretNamespace"]?.stringValue ?? "default", "spec.azureFile.secretName"), r, ctx)
        }
        return out
    }

    /// An Azure file share PV: its secret, and the storage account named by the PV or the secret.
    static func fileShare(account: String?, accountPath: String, resourceGroup: String?, share: String?,
                          secret: (name: String, namespace: String, path: String)?, _ r: Resource,
                          _ ctx: ExtractionContext) -> [Reference] {
        var out: [Reference] = []
        var account = account, accountPath = accountPath
        if let secret {
            out.append(Reference(relation: "file share secret", path: secret.path,
                                 target: kube("Secret", secret.namespace, secret.name), expectedType: "Secret"))
            if account == nil, let s = ctx.kubeObjects(cluster: r.cluster ?? "", kind: "Secret", namespace: secret.namespace,
                                                       name: secret.name).first {
                if let plain = s.document[path: [.key("stringData"), .key("azurestorageaccountname")]]?.stringValue {
                    account = plain
                } else if let b64 = s.document[path: [.key("data"), .key("azurestorageaccountname")]]?.stringValue,
                          let data = Data(base64Encoded: b64), let text = String(data: data, encoding: .utf8) {
                    account = text.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                accountPath = "\(secret.path) → Secret \(secret.namespace)/\(secret.name) data.azurestorageaccountname"
            }
        }
        if let account, !account.isEmpty {
            let t = "Microsoft.Storage/storageAccounts"
            var found = ctx.cloudResources(type: t, name: account)
            if let rg = resourceGroup?.lowercased(), found.count > 1 {
                found = found.filter { $0.id.lowercased().contains("/resourcegroups/\(rg)/") }
            }
            out.append(Reference(relation: "storage account", path: accountPath,
                                 target: found.first.map { .id($0.id) } ?? .unresolved("storage account \(account)"),
                                 expectedType: t))
            if let share, !share.isEmpty, let acct = found.first {
                out.append(Reference(relation: "file share", path: "spec (shareName)",
                                     target: .id("\(acct.id)/fileServices/default/shares/\(share)"),
                                     expectedType: "Microsoft.Storage/storageAccounts/fileServices/shares"))
            }
        }
        return out
    }

    // MARK: Networking

    static func ingress(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        var out: [Reference] = []
        let ns = r.namespace
        func backend(_ b: JSONValue, _ path: [JSONPathComponent], _ relation: String) {
            if let svc = b["service"], let name = svc["name"]?.stringValue {
                if svc[path: [.key("port"), .key("name")]]?.stringValue == "use-annotation" { return }
                out.append(Reference(relation: relation, path: (path + [.key("service"), .key("name")]).dotted,
                                     target: kube("Service", ns, name), expectedType: "Service"))
            } else if let name = b["serviceName"]?.stringValue {
                if b["servicePort"]?.stringValue == "use-annotation" { return }
                out.append(Reference(relation: relation, path: (path + [.key("serviceName")]).dotted,
                                     target: kube("Service", ns, name), expectedType: "Service"))
            } else if let res = b["resource"], let kind = res["kind"]?.stringValue, let name = res["name"]?.stringValue {
                out.append(Reference(relation: relation, path: (path + [.key("resource")]).dotted,
                                     target: kube(kind, ns, name, group: res["apiGroup"]?.stringValue ?? ""), expectedType: kind))
            }
        }
        for key in ["defaultBackend", "backend"] {
            if let b = r.document[path: [.key("spec"), .key(key)]] { backend(b, [.key("spec"), .key(key)], "default backend") }
        }
        for (b, path) in PathPattern("spec.rules[].http.paths[].backend").values(in: r.document) { backend(b, path, "backend") }
        let annotations = r.document[path: [.key("metadata"), .key("annotations")]] ?? .null
        let annPath: [JSONPathComponent] = [.key("metadata"), .key("annotations")]
        if r.document[path: [.key("spec"), .key("ingressClassName")]] == nil,
           let cls = annotations["kubernetes.io/ingress.class"]?.stringValue, !cls.isEmpty {
            out.append(Reference(relation: "ingressClass", path: (annPath + [.key("kubernetes.io/ingress.class")]).dotted,
                                 target: kube("IngressClass", nil, cls), expectedType: "IngressClass", isOptional: true))
        }
        for (key, relation, type) in [
            ("alb.ingress.kubernetes.io/security-groups", "ALB security group", "AWS::EC2::SecurityGroup"),
            ("alb.ingress.kubernetes.io/subnets", "ALB subnet", "AWS::EC2::Subnet"),
            ("alb.ingress.kubernetes.io/certificate-arn", "ALB certificate", "AWS::CertificateManager::Certificate"),
            ("alb.ingress.kubernetes.io/wafv2-acl-arn", "ALB WAF ACL", "AWS::WAFv2::WebACL"),
            ("appgw.ingress.kubernetes.io/waf-policy-for-path", "WAF policy",
             "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies"),
        ] {
            guard let v = annotations[key]?.stringValue else { continue }
            for item in v.split(separator: ",") {
                let t = item.trimmingCharacters(in: .whitespaces)
                if t.isEmpty { continue }
                out.append(Reference(relation: relation, path: (annPath + [.key(key)]).dotted, target: .id(t), expectedType: type))
            }
        }
        return out
    }

    static func service(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        var out: [Reference] = []
        if case .object(let sel)? = r.document[path: [.key("spec"), .key("selector")]], !sel.isEmpty {
            out = ctx.workloads(cluster: r.cluster ?? "", namespace: r.namespace ?? "", matching: LabelSelector(flat: sel)).map {
                Reference(relation: "selects", path: "spec.selector", target: .id(ctx.resources[$0].id))
            }
        }
        let ann: [JSONPathComponent] = [.key("metadata"), .key("annotations")]
        let annotations = r.document[path: ann] ?? .null
        if let pip = annotations["service.beta.kubernetes.io/azure-pip-name"]?.stringValue, !pip.isEmpty {
            let t = "Microsoft.Network/publicIPAddresses"
            var found = ctx.cloudResources(type: t, name: pip)
            if let rg = annotations["service.beta.kubernetes.io/azure-load-balancer-resource-group"]?.stringValue?.lowercased() {
                found = found.filter { $0.id.lowercased().contains("/resourcegroups/\(rg)/") }
            }
            out.append(Reference(relation: "public IP", path: (ann + [.key("service.beta.kubernetes.io/azure-pip-name")]).dotted,
                                 target: found.first.map { .id($0.id) } ?? .unresolved("public IP \(pip)"), expectedType: t))
        }
        let subnetsKey = "service.beta.kubernetes.io/aws-load-balancer-subnets"
        for item in (annotations[subnetsKey]?.stringValue ?? "").split(separator: ",") {
            let v = item.trimmingCharacters(in: .whitespaces)
            if !v.isEmpty {
                out.append(Reference(relation: "load balancer subnet", path: (ann + [.key(subnetsKey)]).dotted, target: .id(v),
                                     expectedType: "AWS::EC2::Subnet"))
            }
        }
        return out
    }

    static func storageClass(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        guard case .object(let params)? = r.document["parameters"] else { return [] }
        var out: [Reference] = []
        for (k, v) in params.pairs {
            guard let value = v.stringValue, !value.isEmpty else { continue }
            let relation: String, type: String
            switch k.lowercased() {
            case "filesystemid": relation = "EFS file system"; type = "AWS::EFS::FileSystem"
            case "kmskeyid": relation = "KMS key"; type = "AWS::KMS::Key"
            case "diskencryptionsetid": relation = "disk encryption set"; type = "Microsoft.Compute/diskEncryptionSets"
            default: continue
            }
            out.append(Reference(relation: relation, path: "parameters.\(k)", target: .id(value), expectedType: type))
        }
        return out
    }

    static func serviceRefs(_ r: Resource, _ pattern: PathPattern, relation: String) -> [Reference] {
        pattern.values(in: r.document).compactMap { v, path in
            guard let name = v["name"]?.stringValue, let ns = v["namespace"]?.stringValue else { return nil }
            return Reference(relation: relation, path: path.dotted, target: kube("Service", ns, name), expectedType: "Service")
        }
    }

    // MARK: RBAC and identities

    static func binding(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        var out: [Reference] = []
        if let ref = r.document["roleRef"], let kind = ref["kind"]?.stringValue, let name = ref["name"]?.stringValue {
            out.append(Reference(relation: "roleRef", path: "roleRef",
                                 target: kube(kind, kind == "ClusterRole" ? nil : r.namespace, name), expectedType: kind))
        }
        for (i, s) in (r.document["subjects"]?.arrayValue ?? []).enumerated() where s["kind"]?.stringValue == "ServiceAccount" {
            guard let name = s["name"]?.stringValue, let ns = s["namespace"]?.stringValue ?? r.namespace else { continue }
            out.append(Reference(relation: "subject", path: "subjects[\(i)]", target: kube("ServiceAccount", ns, name),
                                 expectedType: "ServiceAccount", needsSelectedNamespace: true))
        }
        return out
    }

    static func serviceAccount(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        var out: [Reference] = []
        if let name = r.name {
            let key = KubeKey(cluster: r.cluster ?? "", kind: "ServiceAccount", namespace: r.namespace ?? "", name: name)
            for b in ctx.bindingsBySubject[key] ?? [] {
                out.append(Reference(relation: "bound by", path: "subjects", target: .id(ctx.resources[b].id)))
            }
        }
        let ann: [JSONPathComponent] = [.key("metadata"), .key("annotations")]
        if let arn = r.document[path: ann + [.key("eks.amazonaws.com/role-arn")]]?.stringValue, !arn.isEmpty {
            out.append(Reference(relation: "IRSA role", path: (ann + [.key("eks.amazonaws.com/role-arn")]).dotted,
                                 target: .id(arn), expectedType: "AWS::IAM::Role"))
        }
        if let client = r.document[path: ann + [.key("azure.workload.identity/client-id")]]?.stringValue, !client.isEmpty {
            out.append(Reference(relation: "workload identity", path: (ann + [.key("azure.workload.identity/client-id")]).dotted,
                                 target: ctx.identity(clientID: client).map { .id($0.id) } ?? .unresolved(client),
                                 expectedType: ReferenceTables.identity))
        }
        return out
    }

    static func scaler(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        var out: [Reference] = []
        if let t = scaleTarget(of: r) {
            out.append(Reference(relation: "scaleTargetRef", path: "spec.scaleTargetRef",
                                 target: kube(t.kind, r.namespace, t.name, group: t.group), expectedType: t.kind))
        }
        for (i, trig) in (r.document[path: [.key("spec"), .key("triggers")]]?.arrayValue ?? []).enumerated() {
            if let type = trig["type"]?.stringValue, type.hasPrefix("azure-queue") || type.hasPrefix("azure-blob"),
               let account = trig[path: [.key("metadata"), .key("accountName")]]?.stringValue, !account.isEmpty {
                let t = "Microsoft.Storage/storageAccounts"
                out.append(Reference(relation: "storage account", path: "spec.triggers[\(i)].metadata.accountName",
                                     target: ctx.cloudResources(type: t, name: account).first.map { .id($0.id) }
                                         ?? .unresolved("storage account \(account)"), expectedType: t))
            }
            guard let auth = trig["authenticationRef"], let name = auth["name"]?.stringValue else { continue }
            let kind = auth["kind"]?.stringValue ?? "TriggerAuthentication"
            out.append(Reference(relation: "authenticationRef", path: "spec.triggers[\(i)].authenticationRef",
                                 target: kube(kind, kind == "ClusterTriggerAuthentication" ? nil : r.namespace, name, group: "keda.sh"),
                                 expectedType: kind))
        }
        return out
    }

    static func secretProviderClass(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        guard r.document[path: [.key("spec"), .key("provider")]]?.stringValue?.lowercased() == "azure" else { return [] }
        let params: [JSONPathComponent] = [.key("spec"), .key("parameters")]
        var out: [Reference] = []
        if let vaultName = r.document[path: params + [.key("keyvaultName")]]?.stringValue, !vaultName.isEmpty {
            let tenant = r.document[path: params + [.key("tenantId")]]?.stringValue?.lowercased()
            let candidates = ctx.cloudByTypeAndName[TypeName(type: ReferenceTables.vault.lowercased(), name: vaultName.lowercased())] ?? []
            let match = candidates.first { tenant == nil || tenant!.isEmpty || ctx.vaultTenant($0) == nil || ctx.vaultTenant($0) == tenant }
            let text = tenant.map { "key vault \(vaultName) (tenant \($0))" } ?? "key vault \(vaultName)"
            out.append(Reference(relation: "key vault", path: (params + [.key("keyvaultName")]).dotted,
                                 target: match.map { .id(ctx.resources[$0].id) } ?? .unresolved(text),
                                 expectedType: ReferenceTables.vault))
            // `objects` is a YAML string: `array: [ "objectName: x\nobjectType: secret", … ]`.
            if match != nil, let objects = r.document[path: params + [.key("objects")]]?.stringValue,
               let doc = (try? YAMLDocuments.parse(objects, source: "objects"))?.first {
                for (n, entry) in (doc["array"]?.arrayValue ?? []).enumerated() {
                    let item = entry.stringValue.flatMap { (try? YAMLDocuments.parse($0, source: "object"))?.first } ?? entry
                    guard let name = item["objectName"]?.scalarString, !name.isEmpty, !name.hasPrefix("$") else { continue }
                    let objectType = item["objectType"]?.scalarString?.lowercased() ?? "secret"
                    let collection = objectType == "key" ? "keys" : "secrets"
                    let path = (params + [.key("objects")]).dotted + ".array[\(n)].objectName"
                    if let child = CloudReferences.vaultChild(vault: vaultName, collection: collection, name: name, ctx) {
                        out.append(Reference(relation: "key vault object", path: path, target: .id(child.id)))
                    } else if objectType != "cert" {
                        out.append(Reference(relation: "key vault object", path: path,
                                             target: .unresolved("\(objectType) \(name) in key vault \(vaultName)"),
                                             expectedType: "\(ReferenceTables.vault)/\(collection)"))
                    }
                }
            }
        }
        for key in ["userAssignedIdentityID", "clientID"] {
            guard let client = r.document[path: params + [.key(key)]]?.stringValue, !client.isEmpty else { continue }
            out.append(Reference(relation: "identity", path: (params + [.key(key)]).dotted,
                                 target: ctx.identity(clientID: client).map { .id($0.id) } ?? .unresolved(client),
                                 expectedType: ReferenceTables.identity))
        }
        return out
    }

    /// `kube-system/aws-auth`: `data.mapRoles` is a YAML list of `{rolearn, username, groups}`.
    static func awsAuth(_ r: Resource, _ ctx: ExtractionContext) -> [Reference] {
        guard r.name == "aws-auth", r.namespace == "kube-system" else { return [] }
        var out = awsAuthEntries(r, key: "mapRoles", field: "rolearn", relation: "aws-auth role", type: "AWS::IAM::Role")
        out += awsAuthEntries(r, key: "mapUsers", field: "userarn", relation: "aws-auth user", type: "AWS::IAM::User")
        return out
    }

    static func awsAuthEntries(_ r: Resource, key: String, field: String, relation: String, type: String) -> [Reference] {
        guard let text = r.document[path: [.key("data"), .key(key)]]?.stringValue else { return [] }
        var arns: [(String, String)] = []
        // Read through YAMLDocuments, so hostile nesting or aliases are refused, not followed.
        let parsed = Result { try YAMLDocuments.parse(text, source: "ConfigMap kube-system/aws-auth data.\(key)") }
        if let docs = try? parsed.get(), let list = docs.first?.arrayValue {
            for (i, e) in list.enumerated() {
                if let arn = e[field]?.scalarString, !arn.isEmpty { arns.append((arn, "data.\(key)[\(i)].\(field)")) }
            }
        } else {
            // Not YAML (templated placeholders can break it): fall back to the `rolearn:` lines.
            for line in text.split(separator: "\n") {
                let t = line.trimmingCharacters(in: .whitespaces).drop { $0 == "-" || $0 == " " }
                guard t.hasPrefix("\(field):") else { continue }
                let v = t.dropFirst(field.count + 1).trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
                if !v.isEmpty { arns.append((v, "data.\(key).\(field)")) }
            }
            // Nothing read either way: say so rather than report no references.
            if arns.isEmpty, case .failure(let error) = parsed {
                return [Reference(relation: relation, path: "data.\(key)",
                                  target: .unresolved("data.\(key) could not be read (\(error))"), expectedType: type)]
            }
        }
        return arns.map { Reference(relation: relation, path: $0.1, target: .id($0.0), expectedType: type) }
    }
}

