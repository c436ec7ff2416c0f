import Foundation
import Testing
@testable import StandbyCore
import StandbyTestSupport

@Suite("AWS session and EKS restore steps against a moto server")
struct AWSSessionMotoTests {
    /// A profile that assumes a role of another account through its source profile acts there.
    @Test func profileRoleChainActsInTheRoleAccount() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let folder = NSTemporaryDirectory() + "standby-aws-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
            [profile dr]
            role_arn = arn:aws:iam::444444444444:role/standby-dr
            source_profile = ops
            region = eu-central-1
            endpoint_url = \(endpoint)
            """.write(toFile: folder + "/config", atomically: true, encoding: .utf8)
        try "[ops]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
            .write(toFile: folder + "/credentials", atomically: true, encoding: .utf8)
        var settings = AWSSettings(profile: "dr", environment: ["HOME": folder])
        settings.configFile = folder + "/config"
        settings.credentialsFile = folder + "/credentials"
        settings.sessionName = "drill-7"
        let session = try AWSSession.connect(settings)
        #expect(session.account == "444444444444")
        #expect(session.region == "eu-central-1")
        #expect(session.partition == "aws")
        #expect(session.callerARN == "arn:aws:sts::444444444444:assumed-role/standby-dr/drill-7")
        #expect(session.description == "AWS account 444444444444 in eu-central-1 via \(endpoint)")
    }

    @Test func anAWSErrorNamesTheOperationAndNoSecret() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let session = try MotoAWS.session(endpoint, account: "444444444444", region: "eu-central-1")
        let error = #expect(throws: AWSError.self) { try session.rest(.eks, "DescribeCluster", "GET", ["clusters", "nope"]) }
        #expect(error?.description == "AWS eks DescribeCluster: ResourceNotFoundException: No cluster found for name: nope. (HTTP 404)")
        #expect(error?.isNotFound == true)
        #expect(!(error?.description.contains("testing") ?? true))
    }

    /// A failed step fails the steps after it; steps that do not wait for it still run.
    @Test func failedStepsStopTheStepsThatWaitForThem() throws {
        guard let endpoint = MotoServer.endpoint() else { return }
        let session = try MotoAWS.session(endpoint, account: "555555555555", region: "us-west-2")
        func request(_ step: Int, _ operation: String, _ body: JSONValue, after: [Int]) -> EKSRequest {
            EKSRequest(step: step, service: "eks", operation: operation, account: "555555555555", region: "us-west-2",
                       body: body, creates: "step-\(step)", after: after)
        }
        let plan = EKSRecoveryPlan(cluster: "missing", requests: [
            request(1, "CreateFargateProfile", ["clusterName": "missing", "fargateProfileName": "fp",
                                                 "podExecutionRoleArn": "arn:aws:iam::555555555555:role/f", "selectors": [["namespace": "a"]]],
                    after: []),
            request(2, "CreateFargateProfile", ["clusterName": "missing", "fargateProfileName": "fp2"], after: [1]),
            request(3, "CreateCluster", ["name": "standalone", "roleArn": "arn:aws:iam::555555555555:role/c",
                                          "resourcesVpcConfig": ["subnetIds": ["subnet-1"]]], after: []),
            request(4, "DeleteCluster", ["name": "standalone"], after: [3]),
        ])
        let report = EKSRestore(session: session, waitTimeout: 1, pollInterval: 0.01).apply([plan], progress: SilentProgress())
        #expect(report.records.map(\.outcome) == [.failed, .failed, .created, .failed])
        #expect(report.records[0].message == "AWS eks DescribeCluster: ResourceNotFoundException: clusters/missing does not exist in account "
                + "555555555555, us-west-2 (HTTP 404)")
        #expect(report.records[1].message == "not attempted: step 1 failed")
        #expect(report.records[2].message.hasPrefix("ACTIVE, OIDC issuer https://oidc.eks.us-west-2.amazonaws.com/id/"))
        #expect(report.records[3].message == "eks DeleteCluster is not a request Standby can run")
        #expect(report.summary == "1 created, 0 updated, 0 skipped, 3 failed")
    }
}
