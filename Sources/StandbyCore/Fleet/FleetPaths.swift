/// Where a rendered job finds what it is given, inside its container.
public enum FleetPaths {
    public static let runbookFolder = "/etc/standby/runbook"
    public static let keysFolder = "/etc/standby/keys"
    public static let kubeconfigFolder = "/etc/standby/kubeconfig"
    public static let metricsFolder = "/var/lib/standby/metrics"
    /// The capture runbook's file name in the runbook ConfigMap.
    public static let runbookFile = "capture.lua"
    public static let drillFile = "drill.lua"
    /// A kubeconfig that reaches the cluster the pod runs in as its ServiceAccount (the token and
    /// CA the kubelet mounts): the `in-cluster` access, in the same ConfigMap.
    public static let inClusterKubeconfigFile = "in-cluster.kubeconfig"
    static let serviceAccountFolder = "/var/run/secrets/kubernetes.io/serviceaccount"

    public static let inClusterKubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: in-cluster
          cluster:
            server: https://kubernetes.default.svc
            certificate-authority: \(serviceAccountFolder)/ca.crt
        users:
        - name: service-account
          user:
            tokenFile: \(serviceAccountFolder)/token
        contexts:
        - name: in-cluster
          context: { cluster: in-cluster, user: service-account }
        current-context: in-cluster

        """
}
