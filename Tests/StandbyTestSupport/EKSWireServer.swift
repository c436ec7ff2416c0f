import Foundation
import Testing
import StandbyCore

/// The EKS wire-format test server (`Tests/Servers/eks_wire_server.py`): access entries, access
/// policies, pod identity associations and add-ons, which moto does not serve, answered in
/// botocore's shapes; every other EKS request forwarded to a moto server. Sessions reach it
/// through `AWS_ENDPOINT_URL_EKS`, every other service through moto.
public enum EKSWireServer {
    /// The server in front of the shared moto server, or why it could not start.
    public static let shared: Result<LocalServer, LocalServerError> = {
        switch MotoServer.shared {
        case .success(let moto):
            do throws(LocalServerError) { return .success(try start(upstream: moto.endpoint)) } catch { return .failure(error) }
        case .failure(let error):
            return .failure(error)
        }
    }()

    /// A server of the caller's own in front of the moto server at `upstream`.
    public static func start(upstream: String) throws(LocalServerError) -> LocalServer {
        try LocalServer.startScript("eks_wire_server.py", arguments: [upstream], probe: "/_test/requests")
    }

    /// The endpoints of the shared moto server and of the EKS server in front of it, or `nil`
    /// after recording a failing issue.
    public static func endpoints(sourceLocation: SourceLocation = #_sourceLocation) -> (moto: String, eks: String)? {
        guard let moto = MotoServer.endpoint(sourceLocation: sourceLocation) else { return nil }
        switch shared {
        case .success(let server): return (moto, server.endpoint)
        case .failure(let error):
            Issue.record("EKS wire server: \(error.message)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Settings like ``MotoAWS/settings(_:region:roleARN:environment:)`` whose EKS requests go to
    /// `eks` and every other service's to `moto`.
    public static func settings(moto: String, eks: String, region: String, roleARN: String? = nil) -> AWSSettings {
        var s = MotoAWS.settings(moto, region: region, roleARN: roleARN, environment: [
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_ENDPOINT_URL": moto, "AWS_ENDPOINT_URL_EKS": eks,
        ])
        s.endpoint = nil
        return s
    }

    /// A session acting in `account` through a role assumed there, EKS through `eks`.
    public static func session(moto: String, eks: String, account: String, region: String,
                               role: String = "standby-admin") throws -> AWSSession {
        try AWSSession.connect(settings(moto: moto, eks: eks, region: region, roleARN: "arn:aws:iam::\(account):role/\(role)"))
    }
}
