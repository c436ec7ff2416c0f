/// Builds ``TrafficFailover`` for a plan: which Traffic Manager endpoints and Front Door origins
/// send traffic to the primary, and the recovery endpoint each gets.
///
/// **In front of the primary.** An endpoint or origin is in front of a recovered cluster when its
/// target (a Traffic Manager `targetResourceId` or `target`, a Front Door origin's `hostName` or
/// `azureOrigin`, a classic Front Door backend's `address`) names a public IP of the recovery point
/// (its id, address or DNS name), the address of a Service or Ingress of a recovered cluster
/// (`status.loadBalancer.ingress`), or a host an Ingress serves (`spec.rules[].host`). Every other
/// endpoint is left alone, and the report says so.
///
/// **The recovery endpoint.** Its address is the public IP that reaches the recovered Service: the
/// sandbox firewall's public IP for that Service in a failover test, else the recovery copy of the
/// public IP the deployment creates. The traffic template reads the address with `reference()`,
/// so it is deployed after `azure/template.json`. When the recovery address is one AKS assigns
/// (a Service's load balancer IP), a person adds the endpoint once the Service has it.
///
/// **Test and failover.** In a failover test the recovery endpoint is added `Disabled`, at the
/// lowest priority: nothing changes for users. In a failover it is `Enabled`; with priority routing
/// it takes the primary's priority and the primary's endpoint is re-sent with the lowest.
enum TrafficFailoverBuilder {
    static let trafficManagerAPIVersion = "2022-04-01"
    static let frontDoorAPIVersion = "2024-02-01"
    static let publicIPAPIVersion = "2024-05-01"
    static let registryAPIVersion = "2023-07-01"
    static let resourcesAPIVersion = "2024-03-01"
    static let nestedSchema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"

    static func build(_ plan: RecoveryPlan, _ sources: TrafficSources) -> TrafficFailover {
        var b = Run(plan: plan, sources: sources)
        if !sources.given {
            b.notes.append(PlanNote(subject: "traffic", message: "Traffic Manager profiles and Front Doors were not looked at: "
                + "no inventory was given to find them in (standby.plan{ translation = t, traffic = inventory }); if one sends "
                + "users to the primary, add the recovery endpoints by hand", phase: .after))
        }
        b.trafficManager()
        b.frontDoor()
        b.classicFrontDoor()
        b.containerRegistries()
        return b.result()
    }

    /// Something of the primary that carries traffic: a Service, an Ingress or a public IP.
    struct Primary {
        var what: String
        /// The Kubernetes object (`k8s://…`) when it is a Service or Ingress.
        var object: String?
        /// The source public IP (lower-cased id) it uses, when known.
        var publicIP: String?
    }

    struct Run {
        let plan: RecoveryPlan
        let sources: TrafficSources
        let test: Bool
        var byAddress: [String: Primary] = [:]
        var endpoints: [TrafficEndpoint] = []
        var registries: [RegistryFailover] = []
        var resources: [(id: ARMResourceID, body: JSONValue)] = []
        var replications: [(id: ARMResourceID, body: JSONValue)] = []
        var imports: [String] = []
        var notes: [PlanNote] = []

        init(plan: RecoveryPlan, sources: TrafficSources) {
            self.plan = plan
            self.sources = sources
            test = plan.translation.settings.mode == .test
            indexPrimary()
        }

        // MARK: - What of the primary carries traffic

        mutating func indexPrimary() {
            var ipByAddress: [String: String] = [:]
            for r in plan.translation.resources where r.source.type?.lowercased() == "microsoft.network/publicipaddresses" {
                let key = r.source.id.lowercased()
                let p = Primary(what: "public IP \(r.source.name ?? r.source.id)", object: nil, publicIP: key)
                byAddress[key] = p
                if let ip = r.source.document["properties"]?["ipAddress"]?.stringValue { byAddress[ip.lowercased()] = p; ipByAddress[ip] = key }
                if let fqdn = r.source.document["properties"]?["dnsSettings"]?["fqdn"]?.stringValue { byAddress[fqdn.lowercased()] = p }
            }
            for r in plan.translation.resources where r.source.isKubernetesObject {
                guard let kind = r.source.kind, kind == "Service" || kind == "Ingress" else { continue }
                let name = "\(kind) \(r.source.namespace.map { $0 + "/" } ?? "")\(r.source.name ?? "") of \(r.source.cluster ?? "?")"
                var addresses: [String] = []
                for ingress in r.source.document["status"]?["loadBalancer"]?["ingress"]?.arrayValue ?? [] {
                    if let ip = ingress["ip"]?.stringValue { addresses.append(ip) }
                    if let host = ingress["hostname"]?.stringValue { addresses.append(host) }
                }
                let pip = addresses.lazy.compactMap { ipByAddress[$0] }.first
                if kind == "Ingress" {
                    for rule in r.source.document["spec"]?["rules"]?.arrayValue ?? [] {
                        if let host = rule["host"]?.stringValue { addresses.append(host) }
                    }
                }
                let primary = Primary(what: name, object: r.source.id, publicIP: pip)
                for a in addresses { byAddress[a.lowercased()] = primary }
                // A public IP a Service uses stands for the Service (the sandbox reaches it another way).
                if kind == "Service", let pip { for (k, v) in byAddress where v.publicIP == pip && v.object == nil { byAddress[k] = primary } }
            }
        }

        /// The primary `target` sends traffic to, if any.
        func primary(_ target: String?) -> Primary? {
            guard let t = target?.lowercased(), !t.isEmpty else { return nil }
            if let p = byAddress[t] { return p }
            if t.hasPrefix("/"), let id = ARMResourceID(t), let p = byAddress[id.description.lowercased()] { return p }
            return nil
        }

        /// The recovery public IP (an ARM id the plan creates) that reaches `primary`, or nil
        /// when AKS assigns the recovery address.
        func recoveryPublicIP(_ primary: Primary) -> String? {
            let sandbox = plan.sandbox
            if let object = primary.object, let sandbox, let ref = KubeRef(id: object) {
                let cluster = plan.translation.ids.clusterName(ref.cluster)
                let service = "\(ref.namespace ?? "")/\(ref.name)"
                if let f = sandbox.frontends.first(where: { $0.cluster == cluster && $0.service == service }),
                   let pip = sandbox.resources.first(where: {
                       $0.type.lowercased() == "microsoft.network/publicipaddresses" && ARMResourceID($0.id)?.name == f.publicIP
                   }) {
                    return pip.id
                }
            }
            if let pip = primary.publicIP, let r = plan.translation.resource(pip), let rid = r.recoveryID {
                let created = Set((plan.azure?.creates ?? []).map { $0.lowercased() })
                if created.contains(rid.lowercased()) { return rid }
            }
            return nil
        }

        /// `[reference('<id>', …).ipAddress]`: the address of a public IP the deployment created.
        static func address(of publicIP: String) -> String {
            "[reference('\(publicIP.replacingOccurrences(of: "'", with: "''"))', '\(publicIPAPIVersion)').ipAddress]"
        }

        /// Traffic flows to the recovery endpoint in a failover; a test adds it switched off.
        var status: String { test ? "Disabled" : "Enabled" }

        // MARK: - Traffic Manager

        mutating func trafficManager() {
            var standalone: [String: [JSONValue]] = [:]
            for type in ["azureEndpoints", "externalEndpoints", "nestedEndpoints"] {
                for r in sources.of(type: "Microsoft.Network/trafficManagerProfiles/\(type)") {
                    guard let parent = r.armID?.parent else { continue }
                    var doc = r.document
                    doc.set([.key("type")], .string("Microsoft.Network/trafficManagerProfiles/\(type)"))
                    standalone[parent.key, default: []].append(doc)
                }
            }
            for profile in sources.of(type: "Microsoft.Network/trafficManagerProfiles") {
                guard let pid = profile.armID else { continue }
                let method = profile.document["properties"]?["trafficRoutingMethod"]?.stringValue ?? "Performance"
                var list = profile.document["properties"]?["endpoints"]?.arrayValue ?? []
                let names = Set(list.compactMap { $0["name"]?.stringValue?.lowercased() })
                list += (standalone[pid.key] ?? []).filter { !names.contains(($0["name"]?.stringValue ?? "").lowercased()) }
                let priorities = list.compactMap { $0["properties"]?["priority"]?.intValue }
                var lowest = Int(priorities.max() ?? Int64(list.count))
                var matched = 0
                for e in list {
                    let p = e["properties"]
                    let target = p?["targetResourceId"]?.stringValue ?? p?["target"]?.stringValue
                    guard let name = e["name"]?.stringValue, let primary = primary(target) else { continue }
                    matched += 1
                    let endpointType = (e["type"]?.stringValue ?? "").split(separator: "/").last.map(String.init) ?? "externalEndpoints"
                    let primaryID = "\(pid.description)/\(endpointType)/\(name)"
                    let newName = name + "-recovery"
                    let newID = "\(pid.description)/externalEndpoints/\(newName)"
                    guard let pip = recoveryPublicIP(primary) else {
                        notes.append(PlanNote(subject: primaryID, message: "Traffic Manager endpoint \(name) of profile "
                            + "\(pid.name) sends traffic to the primary's \(primary.what): once the recovered one has its "
                            + "external IP (AKS assigns it), add an endpoint beside it (`az network traffic-manager endpoint "
                            + "create --resource-group \(pid.resourceGroup ?? "") --profile-name \(pid.name) --name \(newName) "
                            + "--type externalEndpoints --target <EXTERNAL-IP>`\(test ? ", then disable it for the test" : "")"
                            + ")\(method == "Priority" && !test ? " and give it priority \(p?["priority"]?.intValue ?? 1), the primary's a lower one" : "")",
                                              phase: .after))
                        continue
                    }
                    var props: [(String, JSONValue)] = [("target", .string(Self.address(of: pip))), ("endpointStatus", .string(status))]
                    var priority: Int? = nil
                    if method == "Priority" {
                        lowest += 1
                        let mine = test ? lowest : Int(p?["priority"]?.intValue ?? 1)
                        priority = mine
                        props.append(("priority", .int(Int64(mine))))
                        if !test { demote(e, id: primaryID, priority: lowest) }
                    }
                    if method == "Weighted", let w = p?["weight"] { props.append(("weight", w)) }
                    if method == "Performance" || p?["endpointLocation"] != nil {
                        props.append(("endpointLocation", .string(plan.translation.settings.to.azure?.location ?? "")))
                    }
                    add(newID, type: "Microsoft.Network/trafficManagerProfiles/externalEndpoints", name: "\(pid.name)/\(newName)",
                        apiVersion: TrafficFailoverBuilder.trafficManagerAPIVersion, properties: props)
                    endpoints.append(TrafficEndpoint(service: "Traffic Manager", front: pid.description, primary: primaryID, id: newID,
                                                     target: pip, serves: primary.what, status: status, priority: priority))
                    if method != "Priority" && !test {
                        notes.append(PlanNote(subject: pid.description, message: "routing method \(method) has no priority to "
                            + "switch: Traffic Manager stops sending users to \(name) when its health checks fail; disable it "
                            + "if the primary comes back before you fail back", phase: .after))
                    }
                }
                if matched == 0 {
                    notes.append(PlanNote(subject: pid.description, message: "Traffic Manager profile \(pid.name): none of its "
                        + "\(list.count) endpoints points at a recovered cluster's public IP, Service or Ingress; left as it is",
                                          phase: .after))
                }
            }
        }

        /// Re-sends the primary's endpoint with the lowest priority (a failover with priority routing).
        mutating func demote(_ endpoint: JSONValue, id: String, priority: Int) {
            guard let arm = ARMResourceID(id), let parent = arm.parent, let type = endpoint["type"]?.stringValue else { return }
            var props: [(String, JSONValue)] = []
            for (k, v) in endpoint["properties"]?.objectValue?.pairs ?? [] where k != "endpointMonitorStatus" {
                if case .null = v { continue }
                props.append((k, k == "priority" ? .int(Int64(priority)) : v))
            }
            if !props.contains(where: { $0.0 == "priority" }) { props.append(("priority", .int(Int64(priority)))) }
            add(id, type: "Microsoft.Network/trafficManagerProfiles/" + (type.split(separator: "/").last.map(String.init) ?? ""),
                name: "\(parent.name)/\(arm.name)", apiVersion: TrafficFailoverBuilder.trafficManagerAPIVersion, properties: props)
        }

        // MARK: - Front Door (Standard/Premium)

        mutating func frontDoor() {
            let origins = sources.of(type: "Microsoft.Cdn/profiles/originGroups/origins")
            var groups: [String: [Resource]] = [:]
            var order: [String] = []
            for o in origins {
                guard let g = o.armID?.parent else { continue }
                if groups[g.key] == nil { order.append(g.key) }
                groups[g.key, default: []].append(o)
            }
            for key in order {
                let members = groups[key] ?? []
                guard let group = members.first?.armID?.parent else { continue }
                var lowest = Int(members.compactMap { $0.document["properties"]?["priority"]?.intValue }.max() ?? 1)
                var matched = 0
                for o in members {
                    guard let oid = o.armID else { continue }
                    let p = o.document["properties"]
                    guard let primary = primary(p?["hostName"]?.stringValue) ?? primary(p?["azureOrigin"]?["id"]?.stringValue) else { continue }
                    matched += 1
                    let newName = oid.name + "-recovery"
                    let newID = "\(group.description)/origins/\(newName)"
                    guard let pip = recoveryPublicIP(primary) else {
                        notes.append(PlanNote(subject: oid.description, message: "Front Door origin \(oid.name) sends traffic to "
                            + "the primary's \(primary.what): once the recovered one has its external IP (AKS assigns it), add "
                            + "origin \(newName) with that address to origin group \(group.name)"
                            + (test ? ", disabled for the test" : ""), phase: .after))
                        continue
                    }
                    var props: [(String, JSONValue)] = [("hostName", .string(Self.address(of: pip)))]
                    for k in ["httpPort", "httpsPort", "originHostHeader", "weight", "enforceCertificateNameCheck"] {
                        if let v = p?[k], v != .null { props.append((k, v)) }
                    }
                    let mine: Int
                    if test {
                        lowest = min(5, lowest + 1)
                        mine = lowest
                    } else {
                        mine = Int(p?["priority"]?.intValue ?? 1)
                        lowest = min(5, lowest + 1)
                        demoteOrigin(o, priority: lowest)
                    }
                    props.append(("priority", .int(Int64(mine))))
                    props.append(("enabledState", .string(status)))
                    add(newID, type: "Microsoft.Cdn/profiles/originGroups/origins",
                        name: "\(group.parent?.name ?? "")/\(group.name)/\(newName)",
                        apiVersion: TrafficFailoverBuilder.frontDoorAPIVersion, properties: props)
                    endpoints.append(TrafficEndpoint(service: "Front Door", front: group.description, primary: oid.description,
                                                     id: newID, target: pip, serves: primary.what, status: status, priority: mine))
                }
                if matched == 0 {
                    notes.append(PlanNote(subject: group.description, message: "Front Door origin group \(group.name): none of "
                        + "its \(members.count) origins (\(members.compactMap { $0.document["properties"]?["hostName"]?.stringValue }.joined(separator: ", "))) "
                        + "points at a recovered cluster's public IP, Service or Ingress; left as it is", phase: .after))
                }
            }
        }

        /// Re-sends a primary origin with a lower priority (a failover).
        mutating func demoteOrigin(_ origin: Resource, priority: Int) {
            guard let id = origin.armID, let group = id.parent else { return }
            var props: [(String, JSONValue)] = []
            let readOnly: Set<String> = ["provisioningState", "deploymentStatus", "originGroupName"]
            for (k, v) in origin.document["properties"]?.objectValue?.pairs ?? [] where !readOnly.contains(k) {
                if case .null = v { continue }
                props.append((k, k == "priority" ? .int(Int64(priority)) : v))
            }
            if !props.contains(where: { $0.0 == "priority" }) { props.append(("priority", .int(Int64(priority)))) }
            add(id.description, type: "Microsoft.Cdn/profiles/originGroups/origins",
                name: "\(group.parent?.name ?? "")/\(group.name)/\(id.name)", apiVersion: TrafficFailoverBuilder.frontDoorAPIVersion,
                properties: props)
        }

        // MARK: - Classic Front Door

        /// A classic Front Door keeps its backends inside the resource: a PUT must carry the whole
        /// Front Door, so the plan names the backend to add and a person adds it.
        mutating func classicFrontDoor() {
            for fd in sources.of(type: "Microsoft.Network/frontDoors") {
                guard let id = fd.armID else { continue }
                var matched = 0
                for pool in fd.document["properties"]?["backendPools"]?.arrayValue ?? [] {
                    for backend in pool["properties"]?["backends"]?.arrayValue ?? [] {
                        guard let primary = primary(backend["address"]?.stringValue) else { continue }
                        matched += 1
                        let pip = recoveryPublicIP(primary)
                        let address = pip.map { "the address of \($0)" } ?? "the recovered \(primary.what)'s external IP (AKS assigns it)"
                        notes.append(PlanNote(subject: id.description, message: "classic Front Door \(id.name): backend pool "
                            + "\(pool["name"]?.stringValue ?? "?") sends traffic to the primary's \(primary.what) "
                            + "(\(backend["address"]?.stringValue ?? "")): add a backend with \(address)"
                            + (test ? ", enabledState Disabled for the test" : ", and give the primary's backend a lower priority")
                            + " (Standby does not re-send a whole classic Front Door)", phase: .after))
                    }
                }
                if matched == 0 {
                    notes.append(PlanNote(subject: id.description, message: "classic Front Door \(id.name): no backend points at "
                        + "a recovered cluster's public IP, Service or Ingress; left as it is", phase: .after))
                }
            }
        }

        // MARK: - Container registries

        mutating func containerRegistries() {
            let location = plan.translation.settings.to.azure?.location ?? ""
            let created = Set((plan.azure?.creates ?? []).map { $0.lowercased() })
            let sourceRegistries = plan.translation.resources.filter { $0.source.type?.lowercased() == "microsoft.containerregistry/registries" }
            guard !sourceRegistries.isEmpty else { return }
            var images: [String] = []
            for set in plan.kubernetes {
                for m in set.manifests {
                    m.document.forEachString { path, value, isKey in
                        if !isKey, case .key("image")? = path.last { images.append(value) }
                    }
                }
            }
            for r in sourceRegistries {
                guard let sid = r.source.armID, let rid = r.recoveryID, let recovery = ARMResourceID(rid) else { continue }
                let sku = r.source.document["sku"]?["name"]?.stringValue ?? "Basic"
                let login = (r.source.document["properties"]?["loginServer"]?.stringValue ?? "\(sid.name).azurecr.io").lowercased()
                let suffix = login.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init) ?? "azurecr.io"
                let recoveryLogin = "\(recovery.name.lowercased()).\(suffix)"
                var seen: Set<String> = []
                for image in images {
                    let lower = image.lowercased()
                    for host in [login, recoveryLogin] where lower.hasPrefix(host + "/") {
                        seen.insert(String(image.dropFirst(host.count + 1)))
                    }
                }
                let used = seen.sorted()
                var replication: String? = nil
                let replicated = sources.of(type: "Microsoft.ContainerRegistry/registries/replications").contains {
                    $0.armID?.parent?.key == sid.key && Self.sameLocation($0.region ?? $0.document["location"]?.stringValue, location)
                }
                if sku.lowercased() == "premium" {
                    if replicated {
                        notes.append(PlanNote(subject: sid.description, message: "registry \(sid.name) already replicates to "
                            + "\(location): its images are there when \(r.source.region ?? "its home region") is lost", phase: .before))
                    } else {
                        let repID = "\(sid.description)/replications/\(location)"
                        replication = repID
                        if let id = ARMResourceID(repID) {
                            replications.append((id, .object(JSONObject([
                                ("type", "Microsoft.ContainerRegistry/registries/replications"),
                                ("apiVersion", .string(TrafficFailoverBuilder.registryAPIVersion)),
                                ("name", .string("\(sid.name)/\(location)")), ("location", .string(location)),
                                ("properties", .object(JSONObject([("regionEndpointEnabled", true), ("zoneRedundancy", "Disabled")]))),
                            ]))))
                        }
                        notes.append(PlanNote(subject: sid.description, message: "geo-replicate registry \(sid.name) (Premium) "
                            + "to \(location) now, in production, so its images are there when \(r.source.region ?? "its home region") "
                            + "is lost: deploy azure/prepare.json (`az deployment sub create --subscription \(sid.subscription ?? "") "
                            + "--location \(location) --template-file azure/prepare.json`)", phase: .before))
                    }
                } else {
                    notes.append(PlanNote(subject: sid.description, message: "registry \(sid.name) is \(sku), which has no "
                        + "geo-replication: azure/acr-import.sh copies its \(used.count) images from \(login) while "
                        + "\(r.source.region ?? "its home region") still serves them; if that region is lost, so are they. "
                        + "Upgrade it to Premium and replicate to \(location), or import the images ahead of time", phase: .before))
                }
                guard created.contains(rid.lowercased()) else {
                    notes.append(PlanNote(subject: sid.description, message: "the recovery registry \(rid) is not in the "
                        + "deployment: no import list", phase: .during))
                    continue
                }
                if used.isEmpty {
                    notes.append(PlanNote(subject: rid, message: "no recovered manifest pulls an image from \(login) or "
                        + "\(recoveryLogin): nothing to import", phase: .during))
                } else {
                    for image in used {
                        // Image names come from manifests (hostile input) and the lines run in a shell.
                        imports.append("az acr import --name \(Self.shell(recovery.name)) --source \(Self.shell(login + "/" + image)) "
                            + "--image \(Self.shell(image))")
                    }
                    notes.append(PlanNote(subject: rid, message: "after azure/template.json has created \(recovery.name) and "
                        + "before the Kubernetes manifests are applied, copy the \(used.count) images the workloads pull "
                        + "(run azure/acr-import.sh)", phase: .during))
                }
                registries.append(RegistryFailover(source: sid.description, sku: sku, recovery: rid, images: used,
                                                   replication: replication))
            }
        }

        /// `word` as one shell word: as it is when it holds only safe characters, else single-quoted.
        static func shell(_ word: String) -> String {
            let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/:@-")
            if !word.isEmpty && word.allSatisfy({ safe.contains($0) }) { return word }
            return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }

        static func sameLocation(_ a: String?, _ b: String) -> Bool {
            guard let a else { return false }
            let norm = { (s: String) in s.lowercased().replacingOccurrences(of: " ", with: "") }
            return norm(a) == norm(b)
        }

        // MARK: - Output

        mutating func add(_ id: String, type: String, name: String, apiVersion: String, properties: [(String, JSONValue)]) {
            guard let arm = ARMResourceID(id) else { return }
            let body: JSONValue = .object(JSONObject([
                ("type", .string(type)), ("apiVersion", .string(apiVersion)), ("name", .string(name)),
                ("properties", .object(JSONObject(properties))),
            ]))
            if let i = resources.firstIndex(where: { $0.id.key == arm.key }) { resources[i] = (arm, body) } else { resources.append((arm, body)) }
        }

        /// A subscription-scope template with one nested deployment per resource (into its own
        /// subscription and resource group).
        static func template(_ items: [(id: ARMResourceID, body: JSONValue)], mode: String) -> JSONValue? {
            guard !items.isEmpty else { return nil }
            let nested: [JSONValue] = items.map { item in
                var members: [(String, JSONValue)] = [
                    ("type", "Microsoft.Resources/deployments"), ("apiVersion", .string(resourcesAPIVersion)),
                    ("name", .string(ARMBuild.deploymentName(item.id))),
                ]
                if let sub = item.id.subscription { members.append(("subscriptionId", .string(sub))) }
                members.append(("resourceGroup", .string(item.id.resourceGroup ?? "")))
                members.append(("properties", .object(JSONObject([
                    ("mode", "Incremental"), ("expressionEvaluationOptions", .object(JSONObject([("scope", "inner")]))),
                    ("template", .object(JSONObject([
                        ("$schema", .string(nestedSchema)), ("contentVersion", "1.0.0.0"), ("resources", .array([item.body])),
                    ]))),
                ]))))
                return .object(JSONObject(members))
            }
            return .object(JSONObject([
                ("$schema", .string(ARMTemplateBuilder.schema)), ("contentVersion", "1.0.0.0"),
                ("metadata", .object(JSONObject([("generator", "standby"), ("mode", .string(mode))]))),
                ("resources", .array(nested)),
            ]))
        }

        func result() -> TrafficFailover {
            let mode = plan.translation.settings.mode.rawValue
            var notes = self.notes
            if !resources.isEmpty {
                notes.append(PlanNote(subject: "azure/traffic.json", message: test
                    ? "after the deployment, add the \(endpoints.count) recovery endpoints (disabled: users still reach the "
                        + "primary) with `az deployment sub create --location <location> --template-file azure/traffic.json`; "
                        + "enable one by hand to try the recovered cluster through the profile"
                    : "once the recovered workloads are ready, send users to them: `az deployment sub create --location "
                        + "<location> --template-file azure/traffic.json` adds the \(endpoints.count) recovery endpoints, "
                        + "enabled, and lowers the primary's priority", phase: .after))
            }
            return TrafficFailover(endpoints: endpoints, registries: registries, template: Self.template(resources, mode: mode),
                                   prepare: Self.template(replications, mode: mode), imports: imports, notes: notes)
        }
    }
}
