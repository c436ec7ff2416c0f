import Foundation

/// The three wire protocols of the services Standby calls, each request SigV4-signed for its
/// service. A non-2xx answer throws ``AWSError`` with the service's error code and message.
extension AWSSession {
    /// AWS JSON 1.1 (KMS, ECR): `POST /` with `X-Amz-Target: <prefix>.<operation>`; the parsed answer.
    public func json(_ service: AWSService, _ operation: String, _ body: JSONValue = .object(JSONObject())) throws -> JSONValue {
        var bytes: [UInt8] = []
        JSONSerializer.serialize(body, pretty: false, into: &bytes)
        defer { for i in bytes.indices { bytes[i] = 0 } } // it may hold a plaintext (KMS Encrypt)
        let target = (service.targetPrefix ?? service.signingName) + "." + operation
        let response = try send(service, operation, method: "POST", path: "/", query: [],
                                headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", target)],
                                body: bytes)
        return try parseJSON(response, service, operation)
    }

    /// REST-JSON (EKS, EFS): `method` on the path of `segments` (each URI-encoded here), with
    /// `query` parameters and a JSON body; the parsed answer (`{}` when it is empty).
    public func rest(_ service: AWSService, _ operation: String, _ method: String, _ segments: [String],
                     query: [(name: String, value: String)] = [], body: JSONValue? = nil) throws -> JSONValue {
        let path = "/" + segments.map { SigV4.uriEncode($0, keepSlash: false) }.joined(separator: "/")
        var bytes: [UInt8] = []
        var headers: [(String, String)] = []
        if let body {
            JSONSerializer.serialize(body, pretty: false, into: &bytes)
            headers.append(("Content-Type", "application/json"))
        }
        let response = try send(service, operation, method: method, path: path, query: query, headers: headers, body: bytes)
        return try parseJSON(response, service, operation)
    }

    /// AWS Query (EC2, IAM, STS): `POST /` with the form `Action=…&Version=…&…`; the answer's XML.
    public func query(_ service: AWSService, _ action: String, _ parameters: [(name: String, value: String)] = []) throws -> XMLTree {
        let form = AWSQueryParameters.form(action: action, version: service.queryVersion ?? "", parameters)
        let response = try send(service, action, method: "POST", path: "/", query: [],
                                headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                body: Array(form.utf8))
        do {
            return try XMLTree.parse(response.body, source: "\(service) \(action) answer")
        } catch {
            throw AWSError(service: service.signingName, operation: action, code: nil, message: "\(error)", status: response.status)
        }
    }

    /// AWS Query with the parameters flattened from a JSON object (EC2's list style for EC2,
    /// `.member.N` for the others).
    public func query(_ service: AWSService, _ action: String, _ body: JSONValue) throws -> XMLTree {
        try query(service, action, AWSQueryParameters.flatten(body, style: service == .ec2 ? .ec2 : .member))
    }

    // MARK: - Sending

    /// The base URL (`scheme://host[:port]`), the `host` header and the signing region of `service`.
    func location(_ service: AWSService, operation: String) throws -> (base: String, host: String, region: String) {
        let signingRegion = service.isGlobal ? AWSPartition.global(service, partition: partition).region : region
        if let custom = serviceEndpoints[service.environmentID] ?? endpoint {
            guard let components = URLComponents(string: custom), let scheme = components.scheme,
                  let host = components.host, !host.isEmpty else {
                throw AWSError(service: service.signingName, operation: operation, code: nil,
                               message: "endpoint \(custom) is not a URL like http://127.0.0.1:5000", status: 0)
            }
            let hostHeader = components.port.map { "\(host):\($0)" } ?? host
            return ("\(scheme)://\(hostHeader)", hostHeader, signingRegion)
        }
        let host = service.isGlobal ? AWSPartition.global(service, partition: partition).host
            : "\(service.endpointPrefix).\(region).\(AWSPartition.domain(partition))"
        return ("https://\(host)", host, signingRegion)
    }

    /// Signs and sends one request; returns a 2xx answer, throws ``AWSError`` otherwise.
    func send(_ service: AWSService, _ operation: String, method: String, path: String,
              query: [(name: String, value: String)], headers extra: [(String, String)], body: [UInt8]) throws -> HTTPResponse {
        let where_ = try location(service, operation: operation)
        var headers: [(name: String, value: String)] = [(name: "host", value: where_.host)]
        headers += extra.map { (name: $0.0, value: $0.1) }
        let signer = SigV4(credentials: credentials, region: where_.region, service: service.signingName)
        // Services other than S3 sign the path encoded twice.
        signer.sign(method: method, canonicalURI: SigV4.uriEncode(path, keepSlash: true), query: query, headers: &headers,
                    payloadHash: Digest.sha256(body))
        let queryText = query.isEmpty ? "" : "?" + SigV4.canonicalQuery(query)
        let request = HTTPRequest(method: method, url: where_.base + path + queryText, headers: headers, body: body)
        let response: HTTPResponse
        do {
            response = try client.send(request)
        } catch let error as HTTPTransportError {
            throw AWSError(service: service.signingName, operation: operation, code: nil,
                           message: "\(where_.base): \(error.message)", status: 0)
        }
        guard (200...299).contains(response.status) else {
            throw AWSErrorAnswer.error(response, service: service.signingName, operation: operation)
        }
        return response
    }

    func parseJSON(_ response: HTTPResponse, _ service: AWSService, _ operation: String) throws -> JSONValue {
        if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D }) { return .object(JSONObject()) }
        do {
            return try JSONParser.parse(response.body, source: "\(service) \(operation) answer")
        } catch {
            throw AWSError(service: service.signingName, operation: operation, code: nil,
                           message: "the answer is not JSON: \(error)", status: response.status)
        }
    }
}
