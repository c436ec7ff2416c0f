import Foundation

/// Reads and deploys Azure Resource Manager resources over ARM's REST API.
///
/// Every request carries `Authorization: Bearer`, from the settings' token source, fetched on
/// first use and cached until it nears expiry (or ARM answers 401, once). The api-version comes
/// from the resource type (``ARMAPIVersions``, else the type's resource provider). 429 and 5xx answers are retried by the
/// ``HTTPClient`` (honouring `Retry-After`); any other non-2xx answer becomes an ``ARMError``
/// carrying ARM's error body. Lists follow `nextLink` (only to the settings' endpoint: the
/// token never goes elsewhere).
public final class ARMClient: Sendable {
    /// The subscription, endpoint, token source and HTTP options in use.
    public let settings: AzureSettings
    let http: HTTPClient
    let tokens: AzureTokenCache
    let providerVersions = ARMProviderVersions()

    /// A client; nothing is fetched until the first request.
    public init(settings: AzureSettings) {
        self.settings = settings
        self.http = HTTPClient(options: settings.http)
        self.tokens = AzureTokenCache(source: settings.tokenSource, settings: settings, http: http)
    }

    // MARK: - Reading

    /// The resource `id` names, with the api-version of its type.
    /// - Throws: ``ARMError`` (a 404 `ResourceNotFound` among them), ``AzureTokenError``.
    public func get(id: String) throws -> JSONValue {
        guard let parsed = ARMResourceID(id) else {
            throw ARMError(method: "GET", url: id, status: nil, code: "InvalidResourceId", message: "not an ARM resource id")
        }
        guard let version = try apiVersion(of: parsed.resourceType, subscription: parsed.subscription ?? settings.subscription) else {
            throw ARMError(method: "GET", url: id, status: nil, code: "NoKnownApiVersion",
                           message: "neither Standby nor the resource provider knows an api-version for type \(parsed.resourceType)")
        }
        return try get(id: id, apiVersion: version)
    }

    /// The api-version to read `type` with: Standby's table (``ARMAPIVersions``), else the newest
    /// stable one its resource provider lists (``ARMProviderVersions``); nil when neither knows it.
    public func apiVersion(of type: String, subscription: String? = nil) throws -> String? {
        if let known = ARMAPIVersions.forType(type) { return known }
        return try providerVersions.version(of: type, subscription: subscription ?? settings.subscription, client: self)
    }

    /// The resource `id` names, with the given api-version.
    public func get(id: String, apiVersion: String) throws -> JSONValue {
        try request("GET", url: url(path: id, apiVersion: apiVersion))
    }

    /// Every resource of `resourceGroup` (of the settings' subscription) in full, as a GET by id
    /// returns it, followed, for each managed cluster, by its agent pools. A resource of a type
    /// Standby knows no api-version for is given as the list shows it (no `properties`).
    public func list(resourceGroup: String) throws -> [JSONValue] {
        try listing(subscription: settings.subscription, resourceGroup: resourceGroup).resources
    }

    /// The resource groups of `subscription` (the settings' by default), as ARM lists them.
    public func listResourceGroups(subscription: String? = nil) throws -> [JSONValue] {
        try listPages(url: url(path: "/subscriptions/\(subscription ?? settings.subscription)/resourcegroups",
                               apiVersion: ARMAPIVersions.resources))
    }

    /// The items of a collection (`{"value": [...], "nextLink": …}`), every page of it:
    /// `path` is a collection path such as `…/managedClusters/aks/agentPools`.
    public func list(collection path: String, apiVersion: String) throws -> [JSONValue] {
        try listPages(url: url(path: path, apiVersion: apiVersion))
    }

    /// One resource group's resources in full, and what could not be read in full (`id`, why). The
    /// GETs run a few at a time (``RequestsInFlight``); the resources keep the list's order.
    func listing(subscription: String, resourceGroup: String) throws -> (resources: [JSONValue], unread: [(id: String, reason: String)]) {
        let entries = try listPages(url: url(path: "/subscriptions/\(subscription)/resourceGroups/\(resourceGroup)/resources",
                                             apiVersion: ARMAPIVersions.resources))
        let reads = try RequestsInFlight().map(entries.count) { [self] n -> (resources: [JSONValue], unread: (id: String, reason: String)?) in
            let entry = entries[n]
            guard let idText = entry["id"]?.stringValue, let id = ARMResourceID(idText) else { return ([], nil) }
            guard let version = try apiVersion(of: id.resourceType, subscription: subscription) else {
                return ([entry], (idText, "neither Standby nor its resource provider knows an api-version for \(id.resourceType), so its properties could not be read; kept as listed, without properties"))
            }
            let full: JSONValue
            do {
                full = try get(id: idText, apiVersion: version)
            } catch let error as ARMError where error.status == 404 {
                return ([], nil) // deleted between the list and the GET
            }
            var resources = [full]
            if id.resourceType.lowercased() == ARMResourceTypes.managedClusters.lowercased(),
               let poolVersion = ARMAPIVersions.forType(ARMResourceTypes.agentPools) {
                resources += try list(collection: idText + "/agentPools", apiVersion: poolVersion)
            }
            return (resources, nil)
        }
        return (reads.flatMap(\.resources), reads.compactMap(\.unread))
    }

    // MARK: - Requests

    /// `{endpoint}{path}?api-version=…`, the path's segments escaped.
    func url(path: String, apiVersion: String) -> String {
        var base = settings.endpoint
        while base.hasSuffix("/") { base.removeLast() }
        let escaped = path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.addingPercentEncoding(withAllowedCharacters: ARMClient.segmentAllowed) ?? String($0) }
            .joined(separator: "/")
        return "\(base)\(escaped)?api-version=\(FormEncoding.escape(apiVersion))"
    }

    private static let segmentAllowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#;"))

    /// Whether `link` (a `nextLink`, an `Azure-AsyncOperation`) points at the settings' endpoint:
    /// the bearer token goes nowhere else.
    func isOnEndpoint(_ link: String) -> Bool {
        guard let a = URLComponents(string: link), let b = URLComponents(string: settings.endpoint) else { return false }
        return a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased() && a.port == b.port
    }

    /// Sends an authorised request: the answer whatever its status (a 401 is tried once more with a
    /// fresh token when the source can give one).
    func send(_ method: String, url: String, body: JSONValue? = nil) throws -> HTTPResponse {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        var bytes: [UInt8] = []
        if let body {
            headers.append(("Content-Type", "application/json"))
            JSONSerializer.serialize(body, into: &bytes)
        }
        var response = try http.send(HTTPRequest(method: method, url: url,
                                                 headers: headers + [("Authorization", "Bearer \(try tokens.token())")], body: bytes))
        if response.status == 401, settings.tokenSource.canRefresh {
            response = try http.send(HTTPRequest(method: method, url: url,
                                                 headers: headers + [("Authorization", "Bearer \(try tokens.token(refresh: true))")],
                                                 body: bytes))
        }
        return response
    }

    /// Sends an authorised request and returns its JSON body (null when empty).
    /// - Throws: ``ARMError`` for any non-2xx answer or a body that is not JSON.
    func request(_ method: String, url: String, body: JSONValue? = nil) throws -> JSONValue {
        let response = try send(method, url: url, body: body)
        guard (200...299).contains(response.status) else { throw ARMError.from(response: response, method: method, url: url) }
        return try decode(response, method: method, url: url)
    }

    func decode(_ response: HTTPResponse, method: String, url: String) throws -> JSONValue {
        guard !response.body.isEmpty else { return .null }
        do {
            return try JSONParser.parse(response.body, source: url)
        } catch {
            throw ARMError(method: method, url: url, status: response.status, code: "InvalidResponse",
                           message: "the answer is not JSON: \(error)")
        }
    }

    /// Every item of a paged list, following `nextLink`.
    func listPages(url first: String) throws -> [JSONValue] {
        var items: [JSONValue] = []
        var next: String? = first
        var seen: Set<String> = []
        while let url = next {
            guard seen.insert(url).inserted else {
                throw ARMError(method: "GET", url: url, status: nil, code: "NextLinkLoop", message: "the list's nextLink repeats a page")
            }
            let page = try request("GET", url: url)
            items += page["value"]?.arrayValue ?? []
            next = page["nextLink"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            if let link = next, !isOnEndpoint(link) {
                throw ARMError(method: "GET", url: url, status: nil, code: "ForeignNextLink",
                               message: "nextLink points away from \(settings.endpoint): not followed")
            }
        }
        return items
    }
}
