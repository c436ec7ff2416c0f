/// The files `standby init` writes into a new customer folder, `{{name}}` replaced by the
/// folder's name. They work at once: `standby test DIR/rules` passes, `standby run DIR/runbook.lua`
/// writes a plan, and `standby inventory DIR/estate.yaml` lists the example workload.
enum InitTemplate {
    static let files: [(path: String, text: String)] = [
        ("estate.yaml", """
            # The estate Standby protects, as exports (paths relative to this file):
            #   az aks show / az resource show, aws eks describe-*, kubectl get -o yaml.
            # `standby inventory estate.yaml` prints what it holds.
            name: {{name}}
            sources:                          # cloud control-plane exports
              - path: exports/cloud/
                region: us-east-1             # for aws-cli output, which carries no region or account
                account: "111111111111"
            clusters:                         # which Kubernetes objects belong to which cluster
              - name: app-cluster
                cloud: aws
                id: arn:aws:eks:us-east-1:111111111111:cluster/app-cluster
                kubernetes: [exports/kubernetes/app-cluster/]
            """),
        ("exports/kubernetes/app-cluster/shop.yaml", """
            # An example workload: replace with `kubectl get -A -o yaml` of your cluster.
            apiVersion: v1
            kind: Namespace
            metadata: { name: shop }
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: shop-config, namespace: shop }
            data:
              UPLOAD_BUCKET: shop-uploads-111111111111
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: shop, namespace: shop }
            spec:
              replicas: 2
              selector: { matchLabels: { app: shop } }
              template:
                metadata: { labels: { app: shop } }
                spec:
                  containers:
                    - name: shop
                      image: 111111111111.dkr.ecr.us-east-1.amazonaws.com/shop:1.0.0
                      envFrom: [{ configMapRef: { name: shop-config } }]
            """),
        ("rules/customer.lua", """
            --- {{name}}'s translation rules: what the built-ins cannot know.
            ---
            ---     standby.translate{ selection = sel, to = {...}, rules = { require "rules.customer" } }
            ---
            --- Tests, as data: customer.test.yaml beside this file (`standby test rules`).
            local standby = require "standby"

            return {
              -- Ids AWS generates in the recovery account are mapped by hand, e.g.:
              -- standby.map_id("subnet-0123456789abcdef0", "subnet-0fedcba9876543210"),

              standby.rule{
                name = "upload bucket follows the recovery account",
                match = { ["k8s:kind"] = "ConfigMap", ["k8s:name"] = "shop-config" },
                apply = function(obj, ctx)
                  obj.data.UPLOAD_BUCKET = obj.data.UPLOAD_BUCKET:gsub("%-%d+$", "-" .. ctx.to.aws.account)
                end,
              },
            }
            """),
        ("rules/customer.test.yaml", """
            # Tests for customer.lua, as data: `standby test rules`. Each case: an exported object, the
            # recovery environment, and the whole expected result (or `expect_error`).
            name: upload bucket follows the recovery account
            cluster: app-cluster
            from: { accounts: ["111111111111"], regions: ["us-east-1"] }
            to: { aws: { account: "222222222222", region: "us-west-2" } }
            input:
              apiVersion: v1
              kind: ConfigMap
              metadata: { name: shop-config, namespace: shop }
              data: { UPLOAD_BUCKET: shop-uploads-111111111111 }
            expect:
              apiVersion: v1
              kind: ConfigMap
              metadata: { name: shop-config, namespace: shop }
              data: { UPLOAD_BUCKET: shop-uploads-222222222222 }
            """),
        ("runbook.lua", """
            --- {{name}}'s recovery runbook: standby run runbook.lua [plan-folder]
            ---
            --- Loads the estate, selects the shop namespace (and everything it references), translates it
            --- for a failover into the recovery account with the rules of rules/customer.lua, and writes
            --- the recovery plan (default: out/plan).
            local standby = require "standby"

            local here = arg[0]:match("^(.*)/[^/]*$") or "."
            local inv = standby.inventory.load(here .. "/estate.yaml")
            local sel = standby.select{ inventory = inv, namespaces = { "shop" } }
            local t = standby.translate{
              selection = sel,
              mode = "failover",
              to = { aws = { account = "222222222222", region = "us-west-2" } },
              rules = { require "rules.customer" },
            }
            print(t:text())
            local plan = standby.plan{ translation = t }
            plan:write(arg[1] or "out/plan")
            print("plan written to " .. (arg[1] or "out/plan"))
            """),
        ("exports/cloud/.keep", ""),
    ]
}
