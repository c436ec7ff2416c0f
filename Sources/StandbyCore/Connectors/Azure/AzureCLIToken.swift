import Foundation

/// A token from the Azure CLI: `az account get-access-token --output json`, run with the
/// settings' environment (its `PATH` finds `az`; its `AZURE_CONFIG_DIR` picks the login).
///
/// The CLI prints `accessToken` and the expiry as `expires_on` (POSIX seconds, newer CLIs) or
/// `expiresOn` (local time `2025-01-31 12:00:00.000000`). Errors quote what `az` wrote on
/// standard error, never its standard output (which holds the token).
struct AzureCLIToken {
    var environment: [String: String]

    static let arguments = ["account", "get-access-token", "--output", "json"]

    /// The `az` executable on `PATH`, or nil.
    func executable() -> String? { CredentialCommand.onPath("az", environment: environment) }

    func fetch(source: String) throws -> AzureAccessToken {
        guard let az = executable() else {
            throw AzureTokenError(source: source, message: "the Azure CLI (az) is not on PATH: install it and run `az login`, "
                + "or set AZURE_ACCESS_TOKEN, or AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET")
        }
        let output: CredentialCommand.Output
        do {
            output = try CredentialCommand(executable: az, arguments: Self.arguments, environment: environment).run()
        } catch {
            throw AzureTokenError(source: source, message: "cannot run \(az): \(error.localizedDescription)")
        }
        guard output.succeeded else {
            throw AzureTokenError(source: source, message: "`az \(Self.arguments.joined(separator: " "))` failed "
                + "(\(output.status))" + (output.said.isEmpty ? "" : ": \(output.said)"))
        }
        return try Self.parse(Array(output.stdout), source: source)
    }

    /// The token in `az account get-access-token` output.
    static func parse(_ output: [UInt8], source: String, now: Date = Date()) throws -> AzureAccessToken {
        guard let json = try? JSONParser.parse(output, source: "az account get-access-token"),
              let token = json["accessToken"]?.stringValue, !token.isEmpty else {
            throw AzureTokenError(source: source, message: "`az account get-access-token` printed no JSON with an accessToken")
        }
        var expiry: Date?
        if let seconds = json["expires_on"].flatMap({ $0.intValue.map(Double.init) ?? $0.stringValue.flatMap(Double.init) }) {
            expiry = Date(timeIntervalSince1970: seconds)
        } else if let text = json["expiresOn"]?.stringValue {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone.current
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSSSSS"
            expiry = formatter.date(from: text)
        }
        return AzureAccessToken(value: token, expiresAt: expiry)
    }
}
