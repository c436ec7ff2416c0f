import StandbyCore

/// A sandbox firewall as Lua holds it (`standby.Firewall`), attached to its plan.
final class FirewallObject {
    let firewall: SandboxFirewall
    let plan: PlanBox

    init(_ firewall: SandboxFirewall, plan: PlanBox) {
        self.firewall = firewall
        self.plan = plan
    }
}

extension LuaRuntime {
    /// `standby._sandbox` (`standby.sandbox.firewall`, and `features`, which
    /// `standby.allowlists.addons` reads) and the class `standby.Firewall`.
    func installSandboxBinding() throws {
        defineClass("standby.Firewall", for: FirewallObject.self) { cls in
            cls.field("frontends") { .array($0.firewall.frontends.map(Self.json)) }
            cls.field("allow") { .array($0.firewall.allow.map(JSONValue.string)) }
            cls.field("notes") { o in
                .array(o.firewall.notes.map { .object(JSONObject([("subject", .string($0.subject)), ("message", .string($0.message))])) })
            }
            cls.field("resources") { o in
                .array(o.firewall.resources.map { r in
                    .object(JSONObject([
                        ("id", .string(r.id)), ("type", .string(r.type)), ("reason", .string(r.reason)),
                        ("depends_on", .array(r.dependsOn.map(JSONValue.string))), ("document", r.document),
                    ]))
                })
            }
            cls.field("route_tables") { o in
                .object(JSONObject(o.firewall.routeTables.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
            }
            cls.field("service_annotations") { o in
                .object(JSONObject(o.firewall.serviceAnnotations.sorted { $0.key < $1.key }.map { service, annotations in
                    (service, .object(JSONObject(annotations.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
                }))
            }
            cls.field("plan", push: { o, call in try call.push(object: o.plan) })
            cls.toString { o in
                let f = o.firewall
                return "standby.Firewall(\(f.frontends.count) frontends, \(f.allow.count) allowed domains, "
                    + "\(f.routeTables.count) subnets routed)"
            }
        }

        try registerNativeModule("standby._sandbox", functions: [
            "firewall": { call in try LuaRuntime.sandboxFirewall(call) },
            "features": { call in
                let box = try call.object(1, as: PlanBox.self)
                return try call.push(Self.features(box.plan))
            },
        ])
    }

    // MARK: - standby.sandbox.firewall

    static func sandboxFirewall(_ call: LuaCall) throws -> Int {
        let function = "firewall"
        try call.checkTable(1)
        let opts = try OptionsTable(call, 1, function: function, allowed: ["allow"], opaque: ["plan"])
        guard let box = try call.optionalObject(1, field: "plan", as: PlanBox.self) else {
            throw LuaArgumentError(argument: 1, function: function,
                                   problem: "field 'plan' is required: a standby.Plan (from standby.plan{ translation = t })")
        }
        let allow = try allowlist(opts.object["allow"], function: function)
        let firewall: SandboxFirewall
        do {
            firewall = try SandboxFirewallBuilder.build(plan: box.plan, allow: allow)
        } catch let error as FQDNAllowlistError {
            throw LuaError("\(function): \(error)")
        } catch let error as SandboxError {
            throw LuaError("\(function): \(error.message)")
        }
        box.attach(firewall)
        return try call.push(object: FirewallObject(firewall, plan: box))
    }

    /// The `allow` field: a list of strings (an empty table denies all egress).
    static func allowlist(_ value: JSONValue?, function: String) throws -> [String] {
        switch value {
        case nil, .null?:
            throw LuaArgumentError(argument: 1, function: function, problem: "field 'allow' is required: the egress allowlist, "
                + "e.g. allow.aks(\"northeurope\") + { \"api.example.com\" } ({} denies all egress)")
        case .object(let o)? where o.isEmpty:
            return []
        case .array(let items)?:
            return try items.enumerated().map { i, item in
                guard case .string(let s) = item else {
                    throw LuaError("\(function): allow[\(i + 1)] must be a string (a domain), got \(item.typeName)")
                }
                return s
            }
        case let other?:
            throw LuaArgumentError(argument: 1, function: function,
                                   problem: "field 'allow' must be a list of domains, got \(other.typeName)")
        }
    }

    static func json(_ f: SandboxFrontend) -> JSONValue {
        .object(JSONObject([
            ("cluster", .string(f.cluster)), ("service", .string(f.service)), ("public_ip", .string(f.publicIP)),
            ("ports", .array(f.ports.map { .int(Int64($0)) })), ("protocol", .string(f.protocol)),
            ("address", .string(f.translatedAddress)),
        ]))
    }

    /// `{ location = "northeurope", clusters = { { cluster, addons, windows, gpu }, ... } }`.
    static func features(_ plan: RecoveryPlan) -> JSONValue {
        let clusters = SandboxFeatures.of(plan.translation).map { f in
            JSONValue.object(JSONObject([
                ("cluster", .string(f.cluster)), ("addons", .array(f.addons.map(JSONValue.string))),
                ("windows", .bool(f.windows)), ("gpu", .bool(f.gpu)),
            ]))
        }
        let location = plan.translation.settings.to.azure?.location
        return .object(JSONObject([
            ("location", location.map(JSONValue.string) ?? .null), ("clusters", .array(clusters)),
        ]))
    }
}
