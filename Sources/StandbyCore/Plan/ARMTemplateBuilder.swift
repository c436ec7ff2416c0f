/// Builds the subscription-scope ARM deployment for the Azure resources of a translation. (Stub.)
public enum ARMTemplateBuilder {
    public static func build(_ translation: Translation, sandbox: SandboxFirewall?) -> ARMDeployment? { nil }
}
