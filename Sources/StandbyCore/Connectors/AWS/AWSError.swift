/// A failed AWS call, or AWS settings Standby cannot use: which service and operation, AWS's error
/// code (`ResourceNotFoundException`, `NoSuchEntity`, `InvalidVpcID.NotFound`…), its message, and
/// the HTTP status. It never holds a secret: no key, token, signature or request body.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The service's signing name (`eks`, `iam`, `ec2`…), or `setup` for settings and credentials.
    public var service: String
    /// `DescribeCluster`, `AssumeRole`…; for setup errors what was being resolved (`credentials`).
    public var operation: String
    /// AWS's error code without a namespace; nil when the answer had none (or there was no answer).
    public var code: String?
    public var message: String
    /// 0 when no HTTP response came back.
    public var status: Int

    public init(service: String, operation: String, code: String?, message: String, status: Int) {
        self.service = service; self.operation = operation; self.code = code; self.message = message; self.status = status
    }

    /// A settings or credentials problem found before any request.
    static func setup(_ what: String, _ message: String, code: String = "InvalidConfiguration") -> AWSError {
        AWSError(service: "setup", operation: what, code: code, message: message, status: 0)
    }

    /// True for the "it does not exist" codes of the services Standby calls.
    public var isNotFound: Bool {
        guard let code else { return status == 404 }
        return code == "ResourceNotFoundException" || code == "NoSuchEntity" || code == "NotFoundException"
            || code.hasSuffix(".NotFound") || code == "FileSystemNotFound" || code == "RepositoryNotFoundException"
    }

    public var description: String {
        var text = service == "setup" ? "AWS \(operation): " : "AWS \(service) \(operation): "
        switch (code, message.isEmpty) {
        case let (code?, false) where service != "setup": text += "\(code): \(message)"
        case let (code?, true): text += code
        default: text += message.isEmpty ? "failed" : message
        }
        return status == 0 ? text : text + " (HTTP \(status))"
    }
}
