--- Settings for scripts/live-failover.lua: where the EKS cluster runs now, where it fails over to,
--- and the ids the translator cannot derive. Copy this file (to scripts/live/settings.lua, or to a
--- folder of your own) and fill it in; the runbook takes the module's name as its argument:
---
---     standby run scripts/live-failover.lua live.settings
---     standby run --lua-path ~/dr scripts/live-failover.lua prod-eks     -- ~/dr/prod-eks.lua
return {
  -- The cluster to protect: its account and region as `standby.aws.discover` reads them (a
  -- profile, or a role to assume), and the kubeconfig context that reaches its API server.
  source = {
    cluster = "eks-prod-use1",
    aws = { region = "us-east-1", profile = "prod" },
    kube = { context = "eks-prod-use1" },          -- kubeconfig = "..." to not use $KUBECONFIG
    namespaces = { "orders" },                     -- the cluster-scoped objects come along
  },

  -- Where it fails over to: the recovery account and region, the role Standby assumes there to
  -- create the cluster, and how to reach the new cluster's API server: `{ eks = true }` uses
  -- that role's credentials as `aws eks get-token` would (the cluster's creator administers
  -- it), so one run creates the cluster and restores into it; or a kubeconfig context, e.g.
  -- `{ context = "eks-dr-usw2" }` after `aws eks update-kubeconfig` (running again skips what
  -- exists).
  recovery = {
    account = "222222222222",
    region = "us-west-2",
    aws = { role_arn = "arn:aws:iam::222222222222:role/standby-recovery" },
    kube = { eks = true },
  },

  -- Source id -> recovery id, for what exists in the recovery account already: the VPC, its
  -- subnets (in the same order of zones), security groups, and the KMS key for secrets.
  ids = {
    ["vpc-0a3c5e7f9b1d24680"] = "vpc-0d4e5f60718293a4b",
    ["subnet-0b1c2d3e4f5a60718"] = "subnet-0a1b2c3d4e5f6a7b8",   -- private, zone a
    ["subnet-0c2d3e4f5a6b70819"] = "subnet-0b2c3d4e5f6a7b8c9",   -- private, zone b
    ["subnet-0d3e4f5a6b7c8091a"] = "subnet-0c3d4e5f6a7b8c9d0",   -- public, zone a
    ["subnet-0e4f5a6b7c8d9012b"] = "subnet-0d4e5f6a7b8c9d0e1",   -- public, zone b
    ["sg-0a9b8c7d6e5f40312"] = "sg-0e5f6a7b8c9d0e1f2",           -- control plane
    ["sg-0b8c7d6e5f4a30211"] = "sg-0f6a7b8c9d0e1f2a3",           -- node remote access
    ["arn:aws:kms:us-east-1:111111111111:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b"] =
      "arn:aws:kms:us-west-2:222222222222:key/2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b",
  },

  -- What to do with what exists in the recovery environment already: "skip" or "update".
  existing = "skip",
  -- Where the plan is written for the record (a new folder replaces the old one).
  out = "out/live-failover",
}
