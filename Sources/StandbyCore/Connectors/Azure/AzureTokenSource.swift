import Foundation

/// Where the ARM connector gets its bearer token.
///
/// Descriptions name the kind of source (and a service principal's client id), never a token or
/// a secret.
public enum AzureTokenSource: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// A token obtained elsewhere (`AZURE_ACCESS_TOKEN`), used as it is until ARM refuses it.
    case accessToken(String)
    /// Client credentials against the Entra ID token endpoint:
    /// `POST {authorityHost}/{tenant}/oauth2/v2.0/token` with `grant_type=client_credentials`.
    case servicePrincipal(tenant: String, clientID: String, secret: String, authorityHost: String)
    /// `az account get-access-token --output json`, with the `az` found on the settings' `PATH`.
    case azureCLI

    /// The Entra ID authority of the public cloud.
    public static let defaultAuthorityHost = "https://login.microsoftonline.com"

    /// The first source the environment provides: `AZURE_ACCESS_TOKEN`; else a service principal
    /// from `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET` (authority
    /// `AZURE_AUTHORITY_HOST`, by default ``defaultAuthorityHost``); else the Azure CLI.
    public static func automatic(environment: [String: String]) -> AzureTokenSource {
        func value(_ name: String) -> String? {
            guard let v = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
            return v
        }
        if let token = value("AZURE_ACCESS_TOKEN") { return .accessToken(token) }
        if let tenant = value("AZURE_TENANT_ID"), let client = value("AZURE_CLIENT_ID"), let secret = value("AZURE_CLIENT_SECRET") {
            return .servicePrincipal(tenant: tenant, clientID: client, secret: secret,
                                     authorityHost: value("AZURE_AUTHORITY_HOST") ?? defaultAuthorityHost)
        }
        return .azureCLI
    }

    /// `access token (AZURE_ACCESS_TOKEN)`, `service principal 1234… of tenant contoso`, `Azure CLI (az)`.
    public var description: String {
        switch self {
        case .accessToken: "access token (AZURE_ACCESS_TOKEN)"
        case .servicePrincipal(let tenant, let clientID, _, _): "service principal \(clientID) of tenant \(tenant)"
        case .azureCLI: "Azure CLI (az account get-access-token)"
        }
    }

    public var debugDescription: String { description }

    /// Whether asking again can give a fresh token (a token from the environment cannot).
    var canRefresh: Bool {
        if case .accessToken = self { return false }
        return true
    }
}
