import StandbyCore

/// The recovery cluster's Kubernetes verbs as a restore hook gets them (`kube:get{...}`,
/// `kube:apply(object)`).
final class KubeVerbsObject {
    let verbs: KubeVerbs
    let cluster: String

    init(_ verbs: KubeVerbs, cluster: String) {
        self.verbs = verbs
        self.cluster = cluster
    }
}

extension LuaRuntime {
    func installKubeVerbsBinding() {
        defineClass("standby.Kube", for: KubeVerbsObject.self) { cls in
            cls.field("cluster") { .string($0.cluster) }
            // kube:get{ apiVersion = "apps/v1", kind = "Deployment", namespace = "shop", name = "web" } → object or nil
            cls.method("get") { object, call in
                try call.checkTable(1)
                let opts = try OptionsTable(call, 1, function: "get", allowed: ["apiVersion", "kind", "namespace", "name"])
                guard let apiVersion = try opts.string("apiVersion"), let kind = try opts.string("kind"), let name = try opts.string("name") else {
                    throw LuaArgumentError(argument: 1, function: "get", problem: "fields 'apiVersion', 'kind' and 'name' are required")
                }
                guard let found = try object.verbs.get(apiVersion: apiVersion, kind: kind, namespace: try opts.string("namespace"), name: name) else {
                    return try call.pushNil()
                }
                return try call.push(found)
            }
            // kube:apply(object) → the object as applied (server-side apply, field manager standby-hook)
            cls.method("apply") { object, call in
                try call.checkTable(1)
                return try call.push(try object.verbs.apply(try call.json(1)))
            }
            cls.toString { "standby.Kube(\($0.cluster))" }
        }
    }
}
