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

    /// Sends one JSON 1.1 call through an ``AWSSession`` (which signs it and zeroes the request
    /// body after); returns the parsed answer of a 2xx, throws ``AWSKMSError`` otherwise.
    private func call(_ operation: String, _ pairs: [(String, JSONValue)]) throws -> JSONValue {
        let session = AWSSession(credentials: signer.credentials, region: region, account: "", callerARN: "",
                                 endpoint: endpoint, serviceEndpoints: [:], client: client)
        do {
            return try session.json(.kms, operation, .object(JSONObject(pairs)))
        } catch let error as AWSError {
            throw AWSKMSError(operation: operation, type: error.code, message: error.message, status: error.status)
        }
    }
}
