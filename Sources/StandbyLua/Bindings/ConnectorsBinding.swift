import Foundation
import StandbyCore

/// `standby.aws.discover{...}`, `standby.kube.discover{...}`, `standby.azure.discover{...}`: live
/// inventories, each like `standby.inventory.load`'s, and `plan:apply{ target = ... }`.
///
/// Network access is a host API: scripts never open sockets, and each function reaches only the
/// endpoints its options (or the environment's standard variables and files) name.
extension LuaRuntime {
    func installConnectorsBinding() throws {
        try registerNativeModule("standby._connectors", functions: [
            "aws_discover": { call in try Self.awsDiscover(call) },
            "kube_discover": { call in try Self.kubeDiscover(call) },
            "azure_discover": { call in try Self.azureDiscover(call) },
        ])
    }

    // MARK: - Discovery

    /// `call.checkTable(1)`, its error naming the function as scripts call it (`aws.discover`,
    /// not the native `aws_discover`).
    static func checkOptions(_ call: LuaCall, _ function: String, optional: Bool) throws {
        do {
            try call.checkTable(1, optional: optional)
        } catch let error as LuaArgumentError {
            throw LuaArgumentError(argument: error.argument, function: function, problem: error.problem)
        }
    }

    static let awsFields = ["region", "profile", "endpoint", "role_arn", "external_id"]

    static func awsSettings(_ opts: OptionsTable, region: String? = nil) throws -> AWSSettings {
        var settings = AWSSettings(region: try opts.string("region") ?? region, profile: try opts.string("profile"),
                                   endpoint: try opts.string("endpoint"), roleARN: try opts.string("role_arn"))
        settings.externalID = try opts.string("external_id")
        return settings
    }

    /// `standby.aws.discover{ region, profile, endpoint, role_arn, external_id, cluster, partial }`.
    static func awsDiscover(_ call: LuaCall) throws -> Int {
        try checkOptions(call, "aws.discover", optional: true)
        let opts = try OptionsTable(call, 1, function: "aws.discover", allowed: awsFields + ["cluster", "partial"])
        let session = try AWSSession.connect(try awsSettings(opts))
        let source = AWSDiscovery(session: session, clusters: try opts.strings("cluster"), partial: try opts.bool("partial") ?? false)
        return try call.push(object: InventoryObject(try discover(source)))
    }

    static let kubeFields = ["kubeconfig", "context"]

    static func kubeSettings(_ opts: OptionsTable) throws -> KubeSettings {
        KubeSettings(kubeconfig: try opts.string("kubeconfig"), context: try opts.string("context"))
    }

    /// `standby.kube.discover{ kubeconfig, context, cluster, namespaces, page_size, partial }`.
    static func kubeDiscover(_ call: LuaCall) throws -> Int {
        try checkOptions(call, "kube.discover", optional: true)
        let opts = try OptionsTable(call, 1, function: "kube.discover",
                                    allowed: kubeFields + ["cluster", "namespaces", "page_size", "partial"])
        let connection = try KubeConnection.load(try kubeSettings(opts))
        let pageSize = opts.object["page_size"]?.intValue.map(Int.init) ?? 500
        guard pageSize > 0 else {
            throw LuaArgumentError(argument: 1, function: "kube.discover", problem: "field 'page_size' must be a positive integer")
        }
        let source = KubernetesDiscovery(connection: connection, cluster: try opts.string("cluster"),
                                         namespaces: try opts.strings("namespaces"), pageSize: pageSize,
                                         partial: try opts.bool("partial") ?? false)
        return try call.push(object: InventoryObject(try discover(source)))
    }

    /// `standby.azure.discover{ subscription, resource_group(s), endpoint, partial }`.
    static func azureDiscover(_ call: LuaCall) throws -> Int {
        try checkOptions(call, "azure.discover", optional: false)
        let opts = try OptionsTable(call, 1, function: "azure.discover",
                                    allowed: ["subscription", "resource_group", "resource_groups", "endpoint", "partial"])
        guard let subscription = try opts.string("subscription") else {
            throw LuaArgumentError(argument: 1, function: "azure.discover", problem: "field 'subscription' is required: the subscription id to read")
        }
        let named = try (opts.strings("resource_group") ?? []) + (opts.strings("resource_groups") ?? [])
        let groups = named.isEmpty ? nil : named
        let client = ARMClient(settings: try azureSettings(opts, subscription: subscription))
        let source = AzureDiscovery(client: client, subscription: subscription, resourceGroups: groups,
                                    partial: try opts.bool("partial") ?? false)
        return try call.push(object: InventoryObject(try discover(source)))
    }

    /// The inventory of `source`, with progress on a terminal (the status line cleared after).
    static func discover(_ source: any InventorySource) throws -> Inventory {
        let progress = ProgressReporters.automatic()
        defer { progress.finish() }
        return try source.inventory(progress: progress)
    }

    static func azureSettings(_ opts: OptionsTable, subscription: String) throws -> AzureSettings {
        AzureSettings(subscription: subscription, endpoint: try opts.string("endpoint") ?? "https://management.azure.com")
    }
}
