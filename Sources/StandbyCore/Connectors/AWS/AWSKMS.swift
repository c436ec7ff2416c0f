import Foundation

/// A failed AWS KMS call: the operation, KMS's error `__type` and `message`, the HTTP status.
/// It never holds a plaintext or a key.
public struct AWSKMSError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    /// KMS's `__type` (`NotFoundException`, `InvalidCiphertextException`…), without a namespace
    /// prefix; nil when the answer had none (or there was no answer).
    public var type: String?
    public var message: String
    /// 0 when no HTTP response came back.
    public var status: Int

    public init(operation: String, type: String?, message: String, status: Int) {
        self.operation = operation; self.type = type; self.message = message; self.status = status
    }

    public var description: String {
        var text = "AWS KMS \(operation): "
        switch (type, message.isEmpty) {
        case let (type?, false): text += "\(type): \(message)"
        case let (type?, true): text += type
        case (nil, _): text += message.isEmpty ? "failed" : message
        }
        return status == 0 ? text : text + " (HTTP \(status))"
    }
}

/// AWS KMS `Encrypt`, `Decrypt` and `CreateKey`, over the AWS JSON 1.1 protocol: `POST /` with
/// `X-Amz-Target: TrentService.<Operation>`, SigV4-signed for the service `kms`.
///
/// Without an endpoint the service is `https://kms.REGION.amazonaws.com`; with one
/// (`http://127.0.0.1:5000` for moto) requests go there. Plaintexts travel only in request bodies
/// and responses, never in an error or a description.
public struct AWSKMS: Sendable, CustomStringConvertible {
    public let region: String
    public let endpoint: String?
    private let signer: SigV4
    private let client: HTTPClient

    public init(region: String, endpoint: String? = nil, credentials: AWSCredentials, client: HTTPClient = HTTPClient()) {
        self.region = region
        self.endpoint = endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.signer = SigV4(credentials: credentials, region: region, service: "kms")
        self.client = client
    }

    /// A client with credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`
    /// and region `region`, else `AWS_REGION`, `AWS_DEFAULT_REGION`, or `us-east-1`.
    public static func fromEnvironment(region: String? = nil, endpoint: String? = nil,
                                       environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AWSKMS {
        guard let credentials = AWSCredentials.fromEnvironment(environment) else {
            throw AWSKMSError(operation: "setup", type: nil,
                              message: "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", status: 0)
        }
        let region = region ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
        return AWSKMS(region: region, endpoint: endpoint, credentials: credentials)
    }

    public var description: String { "AWS KMS \(endpoint ?? "https://kms.\(region).amazonaws.com")" }

    /// Encrypts `plaintext` (at most 4096 bytes) under the key `keyID` (a key id, ARN, or alias),
    /// bound to `context`; returns the `CiphertextBlob`.
    public func encrypt(keyID: String, plaintext: [UInt8], context: [String: String]) throws -> [UInt8] {
        var body: [(String, JSONValue)] = [("KeyId", .string(keyID)), ("Plaintext", .string(Base64.encode(plaintext)))]
        if !context.isEmpty { body.append(("EncryptionContext", Self.stringMap(context))) }
        let answer = try call("Encrypt", body)
        guard let text = answer["CiphertextBlob"]?.stringValue, let blob = Base64.decode(text) else {
            throw AWSKMSError(operation: "Encrypt", type: nil, message: "the answer has no CiphertextBlob", status: 200)
        }
        return blob
    }

    /// Decrypts a `CiphertextBlob` made with the same `context`; a different context (or a blob of
    /// another key the caller cannot use) fails with KMS's error. `keyID`, when given, must be
    /// the key that encrypted it.
    public func decrypt(_ blob: [UInt8], context: [String: String], keyID: String? = nil) throws -> [UInt8] {
        var body: [(String, JSONValue)] = [("CiphertextBlob", .string(Base64.encode(blob)))]
        if !context.isEmpty { body.append(("EncryptionContext", Self.stringMap(context))) }
        if let keyID { body.append(("KeyId", .string(keyID))) }
        let answer = try call("Decrypt", body)
        guard let text = answer["Plaintext"]?.stringValue, let plain = Base64.decode(text) else {
            throw AWSKMSError(operation: "Decrypt", type: nil, message: "the answer has no Plaintext", status: 200)
        }
        return plain
    }

    /// Creates a symmetric key (`SYMMETRIC_DEFAULT`, `ENCRYPT_DECRYPT`); returns its ARN.
    public func createKey(description: String = "") throws -> String {
        var body: [(String, JSONValue)] = [("KeySpec", "SYMMETRIC_DEFAULT"), ("KeyUsage", "ENCRYPT_DECRYPT")]
        if !description.isEmpty { body.append(("Description", .string(description))) }
        let answer = try call("CreateKey", body)
        guard let arn = answer["KeyMetadata"]?["Arn"]?.stringValue ?? answer["KeyMetadata"]?["KeyId"]?.stringValue else {
            throw AWSKMSError(operation: "CreateKey", type: nil, message: "the answer has no KeyMetadata", status: 200)
        }
        return arn
    }

    // MARK: - Requests

    private static func stringMap(_ m: [String: String]) -> JSONValue {
        .object(JSONObject(m.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
    }

    /// Signs and sends one JSON 1.1 call; returns the parsed answer of a 2xx, throws
    /// ``AWSKMSError`` otherwise. The request body (which may hold a plaintext) is zeroed after.
    private func call(_ operation: String, _ pairs: [(String, JSONValue)]) throws -> JSONValue {
        let base: String, host: String
        if let endpoint {
            guard let components = URLComponents(string: endpoint), let scheme = components.scheme,
                  let endpointHost = components.host, !endpointHost.isEmpty else {
                throw AWSKMSError(operation: operation, type: nil,
                                  message: "endpoint \(endpoint) is not a URL like http://127.0.0.1:5000", status: 0)
            }
            host = components.port.map { "\(endpointHost):\($0)" } ?? endpointHost
            base = "\(scheme)://\(host)"
        } else {
            host = "kms.\(region).amazonaws.com"
            base = "https://\(host)"
        }
        var body: [UInt8] = []
        JSONSerializer.serialize(.object(JSONObject(pairs)), pretty: false, into: &body)
        defer { for i in body.indices { body[i] = 0 } }
        var headers: [(name: String, value: String)] = [
            (name: "host", value: host),
            (name: "Content-Type", value: "application/x-amz-json-1.1"),
            (name: "X-Amz-Target", value: "TrentService.\(operation)"),
        ]
        signer.sign(method: "POST", canonicalURI: "/", query: [], headers: &headers, payloadHash: Digest.sha256(body))
        let response: HTTPResponse
        do {
            response = try client.send(HTTPRequest(method: "POST", url: base + "/", headers: headers, body: body))
        } catch let error as HTTPTransportError {
            throw AWSKMSError(operation: operation, type: nil, message: "\(base): \(error.message)", status: 0)
        }
        let answer = try? JSONParser.parse(response.body, source: "KMS \(operation) answer")
        guard (200...299).contains(response.status) else {
            // `__type` may be namespaced: `com.amazonaws.kms#NotFoundException`.
            let type = answer?["__type"]?.stringValue.map { t in t.split(separator: "#").last.map(String.init) ?? t }
            let message = answer?["message"]?.stringValue ?? answer?["Message"]?.stringValue ?? ""
            throw AWSKMSError(operation: operation, type: type, message: message, status: response.status)
        }
        guard let answer else {
            throw AWSKMSError(operation: operation, type: nil, message: "the answer is not JSON", status: response.status)
        }
        return answer
    }
}
