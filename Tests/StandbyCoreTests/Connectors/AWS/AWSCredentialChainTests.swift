import Foundation
import Testing
@testable import StandbyCore

@Suite("AWS credentials, region and endpoint resolution")
struct AWSCredentialChainTests {
    /// A folder with `config` and `credentials` files, removed at the end.
    final class Files {
        let folder: String
        init(config: String? = nil, credentials: String? = nil) throws {
            folder = NSTemporaryDirectory() + "standby-aws-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if let config { try config.write(toFile: folder + "/config", atomically: true, encoding: .utf8) }
            if let credentials { try credentials.write(toFile: folder + "/credentials", atomically: true, encoding: .utf8) }
        }
        deinit { try? FileManager.default.removeItem(atPath: folder) }

        func settings(region: String? = nil, profile: String? = nil, roleARN: String? = nil,
                      environment: [String: String] = [:]) -> AWSSettings {
            var s = AWSSettings(region: region, profile: profile, roleARN: roleARN, environment: environment)
            s.configFile = folder + "/config"
            s.credentialsFile = folder + "/credentials"
            return s
        }
    }

    static let envKeys = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]

    @Test func environmentVariables() throws {
        let files = try Files()
        let r = try AWSCredentialChain.resolve(files.settings(environment: Self.envKeys.merging(
            ["AWS_SESSION_TOKEN": "tok", "AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:5000"]) { a, _ in a }))
        #expect(r.credentials == AWSCredentials(accessKeyID: "AKIAENV", secretAccessKey: "env-secret", sessionToken: "tok"))
        #expect(r.credentialSource == "environment variables")
        #expect(r.region == "eu-west-1")
        #expect(r.endpoint == "http://127.0.0.1:5000")
        #expect(r.roles.isEmpty)
        // AWS_REGION before AWS_DEFAULT_REGION; the settings before both.
        let d = try AWSCredentialChain.resolve(files.settings(environment: Self.envKeys.merging(["AWS_DEFAULT_REGION": "ap-south-1"]) { a, _ in a }))
        #expect(d.region == "ap-south-1")
        let s = try AWSCredentialChain.resolve(files.settings(region: "us-east-2", environment: Self.envKeys.merging(["AWS_REGION": "eu-west-1"]) { a, _ in a }))
        #expect(s.region == "us-east-2")
    }

    @Test func sharedFilesWithProfiles() throws {
        let files = try Files(config: """
            [default]
            region = us-east-1

            # the recovery side
            [profile dr]
            region = us-west-2
            endpoint_url = http://127.0.0.1:5001
            s3 =
              max_concurrent_requests = 10
            output = json
            """, credentials: """
            [default]
            aws_access_key_id = AKIADEFAULT
            aws_secret_access_key = default-secret
            [dr]
            aws_access_key_id=AKIADR
            aws_secret_access_key=dr-secret
            aws_session_token = dr-token
            """)
        let d = try AWSCredentialChain.resolve(files.settings())
        #expect(d.credentials.accessKeyID == "AKIADEFAULT")
        #expect(d.region == "us-east-1")
        #expect(d.profile == "default")
        #expect(d.credentialSource == "profile default (\(files.folder)/credentials:2)")

        let dr = try AWSCredentialChain.resolve(files.settings(environment: ["AWS_PROFILE": "dr"]))
        #expect(dr.credentials == AWSCredentials(accessKeyID: "AKIADR", secretAccessKey: "dr-secret", sessionToken: "dr-token"))
        #expect(dr.region == "us-west-2", "from [profile dr] of the config file")
        #expect(dr.endpoint == "http://127.0.0.1:5001")

        // Environment keys win over AWS_PROFILE, but not over a profile named in the settings.
        let env = try AWSCredentialChain.resolve(files.settings(environment: Self.envKeys.merging(["AWS_PROFILE": "dr"]) { a, _ in a }))
        #expect(env.credentials.accessKeyID == "AKIAENV")
        let named = try AWSCredentialChain.resolve(files.settings(profile: "dr", environment: Self.envKeys))
        #expect(named.credentials.accessKeyID == "AKIADR")
    }

    @Test func roleProfilesChainThroughSourceProfiles() throws {
        let files = try Files(config: """
            [profile base]
            region = us-east-1
            [profile hop]
            role_arn = arn:aws:iam::111111111111:role/hop
            source_profile = base
            [profile recovery]
            role_arn = arn:aws:iam::222222222222:role/standby
            source_profile = hop
            external_id = ext-42
            role_session_name = drill
            region = us-west-2
            [profile from-env]
            role_arn = arn:aws:iam::333333333333:role/x
            credential_source = Environment
            """, credentials: """
            [base]
            aws_access_key_id = AKIABASE
            aws_secret_access_key = base-secret
            """)
        let r = try AWSCredentialChain.resolve(files.settings(profile: "recovery", roleARN: "arn:aws:iam::222222222222:role/extra"))
        #expect(r.credentials.accessKeyID == "AKIABASE")
        #expect(r.roles.map(\.roleARN) == ["arn:aws:iam::111111111111:role/hop", "arn:aws:iam::222222222222:role/standby",
                                           "arn:aws:iam::222222222222:role/extra"])
        #expect(r.roles[1].externalID == "ext-42")
        #expect(r.roles[1].sessionName == "drill")
        #expect(r.roles[0].sessionName == "standby")
        #expect(r.roles[1].source == "profile recovery (\(files.folder)/config:7)")
        #expect(r.roles[2].source == "AWSSettings.roleARN")
        #expect(r.region == "us-west-2")

        let e = try AWSCredentialChain.resolve(files.settings(region: "us-east-1", profile: "from-env", environment: Self.envKeys))
        #expect(e.credentials.accessKeyID == "AKIAENV")
        #expect(e.roles.map(\.roleARN) == ["arn:aws:iam::333333333333:role/x"])
    }

    @Test func missingCredentialsNameWhatWasTried() throws {
        let files = try Files()
        let error = #expect(throws: AWSError.self) { try AWSCredentialChain.resolve(files.settings(region: "us-east-1")) }
        #expect(error?.code == "NoCredentials")
        let text = error?.description ?? ""
        #expect(text.hasPrefix("AWS credentials: no AWS credentials; tried environment variables AWS_ACCESS_KEY_ID"))
        #expect(text.contains("profile default in \(files.folder)/credentials and \(files.folder)/config (no such profile)"))

        let named = #expect(throws: AWSError.self) { try AWSCredentialChain.resolve(files.settings(region: "us-east-1", profile: "nope")) }
        #expect(named?.code == "ProfileNotFound")
        #expect(named?.message.contains("profile nope is in neither \(files.folder)/config (as [profile nope])") == true)
    }

    @Test func brokenProfilesNameFileAndLine() throws {
        let files = try Files(config: """
            [profile loop-a]
            role_arn = arn:aws:iam::1:role/a
            source_profile = loop-b
            [profile loop-b]
            role_arn = arn:aws:iam::1:role/b
            source_profile = loop-a
            [profile sso]
            sso_start_url = https://example.awsapps.com/start
            [profile orphan]
            role_arn = arn:aws:iam::1:role/c
            """, credentials: """
            [half]
            aws_access_key_id = AKIAHALF
            """)
        func message(_ profile: String) -> String {
            let error = #expect(throws: AWSError.self) { try AWSCredentialChain.resolve(files.settings(region: "us-east-1", profile: profile)) }
            return error?.message ?? ""
        }
        #expect(message("loop-a").contains("leads back to itself (loop-a → loop-b → loop-a)"))
        #expect(message("sso").hasPrefix("\(files.folder)/config:8: profile sso uses sso_start_url, which Standby does not run"))
        #expect(message("orphan") == "\(files.folder)/config:10: profile orphan has role_arn but neither source_profile nor credential_source")
        #expect(message("half") == "\(files.folder)/credentials:2: profile half has aws_access_key_id but no aws_secret_access_key")

        let bad = try Files(config: "[default]\nregion us-east-1\n")
        let error = #expect(throws: AWSError.self) { try AWSCredentialChain.resolve(bad.settings(environment: Self.envKeys)) }
        #expect(error?.message == "\(bad.folder)/config:2: expected `[section]` or `key = value`")
    }

    @Test func missingRegionIsAClearError() throws {
        let files = try Files()
        let error = #expect(throws: AWSError.self) { try AWSCredentialChain.resolve(files.settings(environment: Self.envKeys)) }
        #expect(error?.code == "NoRegion")
        #expect(error?.description == "AWS region: no AWS region: set it in the settings, in AWS_REGION or AWS_DEFAULT_REGION, "
                + "or as `region` in profile default of \(files.folder)/config")
        #expect(!(error?.description.contains("env-secret") ?? true))
    }

    @Test func defaultFilesAreUnderHome() throws {
        let files = try Files(credentials: "[default]\naws_access_key_id = AKIAHOME\naws_secret_access_key = s\n")
        try FileManager.default.createDirectory(atPath: files.folder + "/.aws", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: files.folder + "/credentials", toPath: files.folder + "/.aws/credentials")
        let r = try AWSCredentialChain.resolve(AWSSettings(region: "us-east-1", environment: ["HOME": files.folder]))
        #expect(r.credentials.accessKeyID == "AKIAHOME")
        let viaVariable = try AWSCredentialChain.resolve(AWSSettings(region: "us-east-1", environment: [
            "HOME": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": files.folder + "/.aws/credentials"]))
        #expect(viaVariable.credentials.accessKeyID == "AKIAHOME")
    }
}
