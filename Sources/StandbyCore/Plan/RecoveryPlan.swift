/// Something a person must do or decide: supply a parameter, create an id AWS assigns, look at an
/// unsupported feature. Shown in `report.md` under "Needs a person".
public struct PlanNote: Sendable, Hashable, CustomStringConvertible {
    /// What it is about: a recovery id, a Kubernetes object, a template parameter.
    public var subject: String
    public var message: String
    /// When a person acts on it, when the code that made it knows; else ``PlanChecklist`` infers it.
    public var phase: PlanPhase?

    public init(subject: String, message: String, phase: PlanPhase? = nil) {
        self.subject = subject; self.message = message; self.phase = phase
    }

    public var description: String { "\(subject): \(message)" }
}

/// The Azure part of a recovery plan: one subscription-scope ARM deployment (`az deployment sub
/// create --template-file azure/template.json --parameters @azure/parameters.json`).
public struct ARMDeployment: Sendable {
    /// The deployment template (`$schema` subscriptionDeploymentTemplate).
    public var template: JSONValue
    /// The parameters file (`$schema` deploymentParameters), Key Vault references included.
    public var parameters: JSONValue
    /// The recovery ids the template creates, in an order that respects `dependsOn`.
    public var creates: [String]
    public var notes: [PlanNote]

    public init(template: JSONValue, parameters: JSONValue, creates: [String], notes: [PlanNote] = []) {
        self.template = template; self.parameters = parameters; self.creates = creates; self.notes = notes
    }
}

/// One AWS API request of an EKS recovery plan, with its translated body.
public struct EKSRequest: Sendable {
    /// 1-based position; requests run in this order.
    public var step: Int
    /// `eks` or `iam`.
    public var service: String
    /// `CreateCluster`, `CreateNodegroup`, `CreateFargateProfile`, `CreateOpenIDConnectProvider`.
    public var operation: String
    public var account: String
    public var region: String
    /// The request body as the API takes it (REST-JSON for EKS, the Query parameters as an object for IAM).
    public var body: JSONValue
    /// The recovery id (ARN or name) the request creates.
    public var creates: String
    /// Steps that must have completed first.
    public var after: [Int]
    /// Values only known once an earlier step ran (`oidcIssuer` of the new cluster): name → where to read it.
    public var pending: [String: String]

    public init(step: Int, service: String, operation: String, account: String, region: String, body: JSONValue,
                creates: String, after: [Int] = [], pending: [String: String] = [:]) {
        self.step = step; self.service = service; self.operation = operation; self.account = account
        self.region = region; self.body = body; self.creates = creates; self.after = after; self.pending = pending
    }
}

/// The ordered requests that recreate one EKS cluster.
public struct EKSRecoveryPlan: Sendable {
    /// The recovery cluster's name.
    public var cluster: String
    public var requests: [EKSRequest]
    public var notes: [PlanNote]

    public init(cluster: String, requests: [EKSRequest], notes: [PlanNote] = []) {
        self.cluster = cluster; self.requests = requests; self.notes = notes
    }
}

/// One Kubernetes object to apply, cleaned of server-set fields.
public struct KubernetesManifest: Sendable {
    /// The source object's id (`k8s://…`).
    public var source: String
    /// Restore tier (0 CRDs, 1 Namespaces, … see ``RestoreOrder``); lower first.
    public var tier: Int
    /// Relative path of its own file: `<namespace>/<Kind>/<name>.yaml`, or
    /// `_cluster/<Kind>/<name>.yaml` for cluster-scoped objects.
    public var path: String
    public var document: JSONValue

    public init(source: String, tier: Int, path: String, document: JSONValue) {
        self.source = source; self.tier = tier; self.path = path; self.document = document
    }
}

/// Every object to apply to one recovery cluster, in restore order, and what is left out.
public struct KubernetesRestoreSet: Sendable {
    /// The recovery cluster's name.
    public var cluster: String
    /// In restore order.
    public var manifests: [KubernetesManifest]
    /// Objects not restored separately (owned by a restored object, service-account tokens…), with why.
    public var skipped: [(source: String, reason: String)]

    public init(cluster: String, manifests: [KubernetesManifest], skipped: [(source: String, reason: String)] = []) {
        self.cluster = cluster; self.manifests = manifests; self.skipped = skipped
    }
}

/// A Service `type: LoadBalancer` frontend reached through the sandbox firewall.
public struct SandboxFrontend: Sendable, Hashable {
    /// The recovery cluster.
    public var cluster: String
    /// `namespace/name` of the Service.
    public var service: String
    /// The name of the firewall public IP resource that reaches it.
    public var publicIP: String
    /// TCP/UDP ports forwarded.
    public var ports: [Int]
    public var `protocol`: String
    /// The frontend address DNAT translates to.
    public var translatedAddress: String

    public init(cluster: String, service: String, publicIP: String, ports: [Int], protocol: String, translatedAddress: String) {
        self.cluster = cluster; self.service = service; self.publicIP = publicIP; self.ports = ports
        self.protocol = `protocol`; self.translatedAddress = translatedAddress
    }
}

/// The network sandbox for a failover test: an Azure Firewall between the recovery cluster and
/// the internet. Its resources join the plan's ARM template; its Service patches (pinned internal
/// frontends) join the Kubernetes manifests.
public struct SandboxFirewall: Sendable {
    /// ARM resources to add to the template (firewall, policy, rule collection groups, public IPs,
    /// route table, `AzureFirewallSubnet`), as full ARM resource documents with recovery ids.
    public var resources: [AddedResource]
    /// Subnet recovery id → route table recovery id to attach (`properties.routeTable.id`).
    public var routeTables: [String: String]
    /// Source id of a Service → annotations to set on its manifest.
    public var serviceAnnotations: [String: [String: String]]
    public var frontends: [SandboxFrontend]
    /// The egress allowlist, validated.
    public var allow: [String]
    public var notes: [PlanNote]

    public init(resources: [AddedResource], routeTables: [String: String], serviceAnnotations: [String: [String: String]],
                frontends: [SandboxFrontend], allow: [String], notes: [PlanNote] = []) {
        self.resources = resources; self.routeTables = routeTables; self.serviceAnnotations = serviceAnnotations
        self.frontends = frontends; self.allow = allow; self.notes = notes
    }
}

/// What a person deploys to recover: the ARM deployment for Azure, the EKS request plans, the
/// Kubernetes manifests in restore order, and optionally the network sandbox.
public struct RecoveryPlan: Sendable {
    public let translation: Translation
    public private(set) var azure: ARMDeployment?
    public private(set) var eks: [EKSRecoveryPlan]
    public private(set) var kubernetes: [KubernetesRestoreSet]
    public private(set) var sandbox: SandboxFirewall?
    /// Recovery endpoints, origins and registry copies (``TrafficFailover``); nil until ``route(_:)``.
    public private(set) var traffic: TrafficFailover?
    private var trafficSources: TrafficSources?
    /// The point's RPO and the last apply's RTO, for the report's first screen, when known.
    public var timings = PlanTimings()
    /// Why each resource is in the plan (source id → the selection's explanation), for the
    /// dependency graph of `report.html`.
    public var explanations: [String: PlanWhy] = [:]

    /// Builds every artifact from a translation.
    public init(_ translation: Translation) {
        self.translation = translation
        self.azure = ARMTemplateBuilder.build(translation, sandbox: nil)
        self.eks = EBSVolumeRequests.adding(to: EKSPlanBuilder.build(translation), translation)
        self.kubernetes = VolumeManifestPatch.apply(KubernetesManifestBuilder.build(translation), translation)
        self.sandbox = nil
    }

    /// Adds the network sandbox: its resources join the ARM template (rebuilt with the route
    /// tables attached) and its Service annotations the manifests.
    public mutating func attach(_ firewall: SandboxFirewall) {
        sandbox = firewall
        azure = ARMTemplateBuilder.build(translation, sandbox: firewall)
        if let trafficSources { traffic = TrafficFailoverBuilder.build(self, trafficSources) }
        kubernetes = kubernetes.map { set in
            var set = set
            for i in set.manifests.indices {
                guard let extra = firewall.serviceAnnotations[set.manifests[i].source] else { continue }
                for (k, v) in extra.sorted(by: { $0.key < $1.key }) {
                    set.manifests[i].document.set([.key("metadata"), .key("annotations"), .key(k)], .string(v))
                }
            }
            return set
        }
    }

    /// Plans how traffic and images follow the failover from `sources` (the estate's Traffic
    /// Manager profiles, Front Doors and registry replications); again whenever the sandbox is attached.
    public mutating func route(_ sources: TrafficSources) {
        trafficSources = sources
        traffic = TrafficFailoverBuilder.build(self, sources)
    }

    /// Everything a person must do or decide, from every part and the translation.
    public var notes: [PlanNote] {
        var out: [PlanNote] = []
        out += azure?.notes ?? []
        out += eks.flatMap(\.notes)
        out += sandbox?.notes ?? []
        out += translation.volumes.notes
        out += traffic?.notes ?? []
        for i in translation.issues { out.append(PlanNote(subject: i.resource, message: "\(i.feature): \(i.message)")) }
        for f in translation.failures { out.append(PlanNote(subject: f.resource, message: f.description)) }
        return out
    }
}
