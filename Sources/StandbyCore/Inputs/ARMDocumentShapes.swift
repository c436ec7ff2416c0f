/// Recognises Azure Resource Manager documents and turns them into ``Resource``s.
///
/// Shapes handled:
/// - a resource in REST shape (`az resource show`, ARM GET): envelope keys plus `properties`;
/// - a resource in Azure CLI shape (`az aks show`, `az aks nodepool show`): the properties are
///   flattened to the top level in the CLI's camelCase. These are normalised back to REST shape:
///   non-envelope keys move under `properties` and the CLI's `resourceGroup` is dropped;
/// - in every shape, keys are renamed to the REST spelling the API definition gives them when
///   they differ only in case (`tenantId` → `tenantID`, `enableVtpm` → `enableVTPM`), for the
///   types ``AzureRESTModels`` covers (generated from the Azure SDK models, not a hand list);
/// - `az resource list` arrays and `{"value": [...], "nextLink": …}` pages (handled by the loader,
///   item by item);
/// - Azure REST API examples `{"parameters": {...}, "responses": {"200": {"body": ...}}}`: the 200
///   body (else 201, else another 2xx), with the id built from the parameters if the body has none.
///
/// A managed cluster's inline `agentPoolProfiles[]` also yield
/// `Microsoft.ContainerService/managedClusters/agentPools` child resources, marked as
/// synthesized so that a separately loaded agent pool with the same id wins when merged.
public enum ARMDocumentShapes {
    /// Top-level keys of an ARM resource that are not properties.
    public static let envelopeKeys: Set<String> = [
        "id", "name", "type", "location", "tags", "identity", "sku", "etag", "eTag", "kind",
        "extendedLocation", "systemData", "zones", "plan", "managedBy", "properties",
        "createdTime", "changedTime",
    ]

    /// Keys the Azure CLI adds that are not part of the resource.
    public static let cliOnlyKeys: Set<String> = ["resourceGroup"]

    /// True for an object that looks like an ARM resource: a string `id` starting with
    /// `/subscriptions/` or `/providers/` (any case) and a string `type`.
    public static func isResource(_ object: JSONObject) -> Bool {
        guard let id = object["id"]?.stringValue, object["type"]?.stringValue != nil else { return false }
        return looksLikeARMID(id)
    }

    /// `/subscriptions/…` or `/providers/…`, in any case.
    public static func looksLikeARMID(_ text: String) -> Bool {
        let lower = text.prefix(15).lowercased()
        return lower.hasPrefix("/subscriptions/") || lower.hasPrefix("/providers/")
    }

    /// True for an Azure REST API example document.
    public static func isRESTExample(_ object: JSONObject) -> Bool {
        object["parameters"]?.objectValue != nil && object["responses"]?.objectValue != nil
    }

    /// True for an `{"value": [...]}` page (optionally with `nextLink`) whose items are ARM resources.
    public static func isPage(_ object: JSONObject) -> Bool {
        guard let items = object["value"]?.arrayValue else { return false }
        let others = object.keys.filter { $0 != "value" && $0 != "nextLink" && $0 != "@odata.nextLink" && $0 != "count" }
        guard others.isEmpty else { return false }
        return items.allSatisfy { item in item.objectValue.map(isResource) ?? false }
    }

    /// The resource body of a REST API example and its API version; `nil` when the example has
    /// no successful response with a body.
    public static func restExampleBody(_ example: JSONObject) -> (body: JSONObject, apiVersion: String?)? {
        guard let responses = example["responses"]?.objectValue else { return nil }
        let parameters = example["parameters"]?.objectValue ?? JSONObject()
        let apiVersion = parameters["api-version"]?.stringValue
        var codes = ["200", "201"]
        codes += responses.keys.filter { $0.hasPrefix("2") && !codes.contains($0) }.sorted()
        for code in codes {
            guard var body = responses[code]?["body"]?.objectValue else { continue }
            if body["id"]?.stringValue == nil, let id = buildID(body: body, parameters: parameters) {
                var rebuilt = JSONObject()
                rebuilt["id"] = .string(id)
                for (k, v) in body.pairs { rebuilt[k] = v }
                body = rebuilt
            }
            return (body, apiVersion)
        }
        return nil
    }

    /// Builds a resource ID from a REST example's path parameters and the body's `type`:
    /// `subscriptionId`, `resourceGroupName`, then the `…Name` parameters in order, one per type segment.
    static func buildID(body: JSONObject, parameters: JSONObject) -> String? {
        guard let sub = parameters["subscriptionId"]?.stringValue,
              let type = body["type"]?.stringValue else { return nil }
        let typeParts = type.split(separator: "/").map(String.init)
        guard typeParts.count >= 2 else { return nil }
        let names = parameters.pairs.compactMap { (k, v) -> String? in
            guard k != "resourceGroupName", k != "subscriptionId", k == "resourceName" || k.hasSuffix("Name") else { return nil }
            return v.stringValue
        }
        let needed = typeParts.count - 1
        guard names.count >= needed else { return nil }
        var id = "/subscriptions/\(sub)"
        if let rg = parameters["resourceGroupName"]?.stringValue { id += "/resourceGroups/\(rg)" }
        id += "/providers/\(typeParts[0])"
        for k in 0..<needed { id += "/\(typeParts[k + 1])/\(names[k])" }
        return id
    }

    /// Whether an ARM resource object is in the CLI's flattened shape. A `properties` member,
    /// even `null` (`az resource list`), means REST shape.
    public static func isFlattened(_ object: JSONObject) -> Bool {
        if object.index(of: "properties") != nil { return false }
        return object.keys.contains { !envelopeKeys.contains($0) && !cliOnlyKeys.contains($0) }
    }

    /// Converts a flattened CLI resource to REST shape (see the type's documentation), then
    /// renames keys to their REST spelling (``AzureRESTModels/normalizing(_:type:)``). Objects
    /// already in REST shape only lose the CLI's `resourceGroup` and get the REST spellings.
    public static func restShape(_ object: JSONObject) -> JSONObject {
        var out = JSONObject()
        if isFlattened(object) {
            var properties = JSONObject()
            for (k, v) in object.pairs {
                if cliOnlyKeys.contains(k) { continue }
                if envelopeKeys.contains(k) { out[k] = v } else { properties[k] = v }
            }
            out["properties"] = .object(properties)
        } else {
            out = object
            for k in cliOnlyKeys { out[k] = nil }
        }
        let type = out["type"]?.stringValue ?? out["id"]?.stringValue.flatMap(ARMResourceID.init)?.resourceType
        guard let type, AzureRESTModels.covers(type) else { return out }
        return AzureRESTModels.normalizing(.object(out), type: type).objectValue ?? out
    }

    /// A resource built from one ARM resource object (normalised to REST shape), plus the agent
    /// pools of a managed cluster's inline profiles.
    static func resources(from raw: JSONObject, source: SourceRef, apiVersion: String? = nil)
        -> [(resource: Resource, synthesized: Bool)]
    {
        let object = restShape(raw)
        let idText = object["id"]?.stringValue ?? ""
        let armID = ARMResourceID(idText)
        let rawType = object["type"]?.stringValue ?? armID?.resourceType
        let type = rawType.map(ARMResourceTypes.canonical)
        let resource = Resource(
            id: armID?.description ?? idText,
            identity: armID.map(ResourceIdentity.arm) ?? .other,
            type: type,
            apiVersion: apiVersion,
            name: object["name"]?.stringValue ?? armID?.name,
            region: object["location"]?.stringValue,
            tags: Resource.stringMap(object["tags"]),
            document: .object(object),
            source: source)
        var out = [(resource, false)]
        if type == ARMResourceTypes.managedClusters, let clusterID = armID,
           let profiles = object["properties"]?["agentPoolProfiles"]?.arrayValue {
            for profile in profiles {
                guard var props = profile.objectValue, let name = props["name"]?.stringValue,
                      let poolID = clusterID.child(type: "agentPools", name: name) else { continue }
                props["name"] = nil
                let doc: JSONValue = .object(JSONObject([
                    ("id", .string(poolID.description)),
                    ("name", .string(name)),
                    ("type", .string(ARMResourceTypes.agentPools)),
                    ("properties", .object(props)),
                ]))
                out.append((Resource(id: poolID.description, identity: .arm(poolID), type: ARMResourceTypes.agentPools,
                                     apiVersion: apiVersion, name: name, region: resource.region,
                                     document: doc, source: source), true))
            }
        }
        return out
    }

    /// Folds an agent pool synthesized from a cluster's inline profile into the separately loaded
    /// pool: the loaded pool's keys win, and within `properties` its properties win.
    static func fold(synthesized: Resource, into loaded: Resource) -> Resource {
        guard case .object(let s) = synthesized.document, case .object(var l) = loaded.document else { return loaded }
        if case .object(var props)? = s["properties"], case .object(let lp)? = l["properties"] {
            for (k, v) in lp.pairs { props[k] = v }
            l["properties"] = .object(props)
        }
        var merged = loaded
        merged.document = .object(l)
        return merged
    }
}
