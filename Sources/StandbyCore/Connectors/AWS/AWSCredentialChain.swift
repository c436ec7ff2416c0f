import Foundation

/// A role to assume, and where it was asked for.
public struct AWSRoleToAssume: Sendable, Equatable {
    public var roleARN: String
    public var externalID: String?
    public var sessionName: String
    /// `AWSSettings.roleARN`, or `profile NAME (FILE:LINE)`.
    public var source: String
}

/// What ``AWSCredentialChain`` finds before any request: the first credentials, the roles to
/// assume with them in order, the region and the endpoint.
public struct AWSResolvedSettings: Sendable {
    public var credentials: AWSCredentials
    /// Where ``credentials`` came from (`environment variables`, `profile dev (/home/me/.aws/credentials:4)`).
    public var credentialSource: String
    public var roles: [AWSRoleToAssume]
    public var region: String
    /// The endpoint for every service, when one is set.
    public var endpoint: String?
    /// The profile read (`default` when none was named).
    public var profile: String
}

/// Resolves ``AWSSettings`` as the AWS CLI does, without any request:
///
/// 1. credentials: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` unless a
///    profile is named in the settings; else the profile (`AWSSettings.profile`, `AWS_PROFILE`,
///    `default`) from the credentials file and the config file (`[profile NAME]`), its
///    `aws_access_key_id`/`aws_secret_access_key`/`aws_session_token`, or its `role_arn` with
///    `source_profile` (followed, chains included) or `credential_source = Environment`;
/// 2. the roles to assume: the profiles' `role_arn`s (with `external_id`, `role_session_name`),
///    then `AWSSettings.roleARN`;
/// 3. the region and the endpoint (see ``AWSSettings``).
///
/// Errors name the file and line, and what was tried; never a secret.
public enum AWSCredentialChain {
    public static func resolve(_ settings: AWSSettings) throws -> AWSResolvedSettings {
        let env = settings.environment
        func nonEmpty(_ key: String) -> String? { env[key].flatMap { $0.isEmpty ? nil : $0 } }
        let home = nonEmpty("HOME") ?? NSHomeDirectory()
        let configPath = settings.configFile ?? nonEmpty("AWS_CONFIG_FILE").map { expand($0, home) } ?? "\(home)/.aws/config"
        let credentialsPath = settings.credentialsFile ?? nonEmpty("AWS_SHARED_CREDENTIALS_FILE").map { expand($0, home) }
            ?? "\(home)/.aws/credentials"
        let files = Files(config: try AWSConfigFile.load(configPath, kind: .config), configPath: configPath,
                          credentials: try AWSConfigFile.load(credentialsPath, kind: .credentials),
                          credentialsPath: credentialsPath)
        let profileNamed = settings.profile ?? nonEmpty("AWS_PROFILE")
        let profileName = profileNamed ?? "default"

        var tried: [String] = []
        var base: (credentials: AWSCredentials, source: String, roles: [AWSRoleToAssume])?
        if settings.profile == nil, let fromEnvironment = AWSCredentials.fromEnvironment(env) {
            base = (fromEnvironment, "environment variables", [])
        } else {
            if settings.profile == nil { tried.append("environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (not set)") }
            if profileNamed != nil, files.profile(profileName) == nil {
                throw AWSError.setup("credentials", "profile \(profileName) is in neither \(files.configPath)"
                    + " (as [profile \(profileName)]) nor \(files.credentialsPath) (as [\(profileName)])", code: "ProfileNotFound")
            }
            base = try profileCredentials(profileName, files: files, environment: env, sessionName: settings.sessionName,
                                          visited: [], tried: &tried)
        }
        guard var found = base else {
            throw AWSError.setup("credentials", "no AWS credentials; tried " + tried.joined(separator: "; "),
                                 code: "NoCredentials")
        }
        if let role = settings.roleARN, !role.isEmpty {
            found.roles.append(AWSRoleToAssume(roleARN: role, externalID: settings.externalID,
                                               sessionName: settings.sessionName, source: "AWSSettings.roleARN"))
        }

        let profile = files.profile(profileName)
        guard let region = settings.region.flatMap({ $0.isEmpty ? nil : $0 }) ?? nonEmpty("AWS_REGION")
                ?? nonEmpty("AWS_DEFAULT_REGION") ?? profile?["region"]?.value else {
            throw AWSError.setup("region", "no AWS region: set it in the settings, in AWS_REGION or AWS_DEFAULT_REGION, "
                + "or as `region` in profile \(profileName) of \(files.configPath)", code: "NoRegion")
        }
        let endpoint = settings.endpoint.flatMap { $0.isEmpty ? nil : $0 } ?? nonEmpty("AWS_ENDPOINT_URL")
            ?? profile?["endpoint_url"]?.value
        return AWSResolvedSettings(credentials: found.credentials, credentialSource: found.source, roles: found.roles,
                                   region: region, endpoint: endpoint, profile: profileName)
    }

    /// `~/x` → `HOME/x`.
    static func expand(_ path: String, _ home: String) -> String {
        path.hasPrefix("~/") ? home + path.dropFirst() : path
    }

    /// The two shared files; a profile's values are the config file's, overlaid by the credentials file's.
    struct Files {
        var config: AWSConfigFile?
        var configPath: String
        var credentials: AWSConfigFile?
        var credentialsPath: String

        /// Key → (value, `file:line`); nil when neither file has the profile.
        func profile(_ name: String) -> [String: (value: String, at: String)]? {
            let fromConfig = config?.profiles[name]
            let fromCredentials = credentials?.profiles[name]
            guard fromConfig != nil || fromCredentials != nil else { return nil }
            var merged: [String: (value: String, at: String)] = [:]
            for (k, e) in fromConfig?.entries ?? [:] { merged[k] = (e.value, "\(configPath):\(e.line)") }
            for (k, e) in fromCredentials?.entries ?? [:] { merged[k] = (e.value, "\(credentialsPath):\(e.line)") }
            return merged
        }
    }

    /// Keys of credential sources Standby does not run.
    static let unsupported = ["credential_process", "sso_start_url", "sso_session", "web_identity_token_file", "mfa_serial"]

    static func profileCredentials(_ name: String, files: Files, environment: [String: String], sessionName: String,
                                   visited: [String], tried: inout [String])
        throws -> (credentials: AWSCredentials, source: String, roles: [AWSRoleToAssume])? {
        guard let p = files.profile(name) else {
            tried.append("profile \(name) in \(files.credentialsPath) and \(files.configPath) (no such profile)")
            return nil
        }
        func staticKeys() throws -> (AWSCredentials, String)? {
            guard let id = p["aws_access_key_id"] else { return nil }
            guard let secret = p["aws_secret_access_key"], !secret.value.isEmpty else {
                throw AWSError.setup("credentials", "\(id.at): profile \(name) has aws_access_key_id but no aws_secret_access_key")
            }
            let token = p["aws_session_token"]?.value ?? p["aws_security_token"]?.value
            return (AWSCredentials(accessKeyID: id.value, secretAccessKey: secret.value,
                                   sessionToken: token.flatMap { $0.isEmpty ? nil : $0 }),
                    "profile \(name) (\(id.at))")
        }
        if let roleARN = p["role_arn"] {
            let role = AWSRoleToAssume(roleARN: roleARN.value, externalID: p["external_id"]?.value,
                                       sessionName: p["role_session_name"]?.value ?? sessionName,
                                       source: "profile \(name) (\(roleARN.at))")
            if let source = p["source_profile"] {
                if source.value == name, let (keys, from) = try staticKeys() {
                    return (keys, from, [role])
                }
                guard !visited.contains(source.value) && source.value != name else {
                    throw AWSError.setup("credentials", "\(source.at): source_profile \(source.value) of profile \(name) "
                        + "leads back to itself (\((visited + [name, source.value]).joined(separator: " → ")))")
                }
                guard files.profile(source.value) != nil else {
                    throw AWSError.setup("credentials", "\(source.at): source_profile \(source.value) of profile \(name) "
                        + "is in neither \(files.configPath) nor \(files.credentialsPath)")
                }
                var innerTried: [String] = []
                guard var inner = try profileCredentials(source.value, files: files, environment: environment,
                                                         sessionName: sessionName, visited: visited + [name], tried: &innerTried) else {
                    throw AWSError.setup("credentials", "\(source.at): source_profile \(source.value) of profile \(name) "
                        + "has no credentials (aws_access_key_id and aws_secret_access_key, or role_arn)")
                }
                inner.roles.append(role)
                return inner
            }
            if let source = p["credential_source"] {
                guard source.value == "Environment" else {
                    throw AWSError.setup("credentials", "\(source.at): credential_source \(source.value) is not supported "
                        + "(only Environment)")
                }
                guard let keys = AWSCredentials.fromEnvironment(environment) else {
                    throw AWSError.setup("credentials", "\(source.at): profile \(name) takes its credentials from the "
                        + "environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
                }
                return (keys, "environment variables (credential_source of profile \(name))", [role])
            }
            throw AWSError.setup("credentials", "\(roleARN.at): profile \(name) has role_arn but neither source_profile "
                + "nor credential_source")
        }
        if let (keys, from) = try staticKeys() { return (keys, from, []) }
        if let key = unsupported.first(where: { p[$0] != nil }), let entry = p[key] {
            throw AWSError.setup("credentials", "\(entry.at): profile \(name) uses \(key), which Standby does not run; "
                + "export credentials into the environment (`aws configure export-credentials --profile \(name) --format env`)")
        }
        tried.append("profile \(name) (no aws_access_key_id or role_arn)")
        return nil
    }
}
