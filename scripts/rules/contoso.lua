--- Contoso's translation rules for the sample estate: what the built-ins cannot know.
---
---     local t = standby.translate{ selection = sel, to = {...}, rules = { require "rules.contoso" } }
---
--- 1. The recovery network in us-west-2, built by Contoso's landing-zone pipeline: AWS assigns
---    new subnet, security group, VPC, EFS and certificate ids there, so they are mapped by hand.
--- 2. Bucket names carry the account id (`orders-uploads-111111111111`) and are globally unique:
---    the recovery buckets are named after the recovery account.
--- 3. The sandbox firewall does not let the recovery cluster reach Docker Hub: Docker Hub images
---    come from Contoso's mirror in the recovery region.
--- Tests for these rules, as data: contoso.test.yaml (`standby test scripts/rules`).
local standby = require "standby"

--- `name-<12 digits>` → `name-<recovery account>`: a bucket named after its account.
---@param bucket string
---@param ctx standby.RuleContext
---@return string
local function recovery_bucket(bucket, ctx)
  return (bucket:gsub("%-%d%d%d%d%d%d%d%d%d%d%d%d$", "-" .. ctx.to.aws.account))
end

return {
  -- 1. The recovery network (us-west-2, account 999988887777).
  standby.map_id("subnet-0b1c2d3e4f5a60718", "subnet-0a0000000000000a1"),  -- private-a
  standby.map_id("subnet-0c2d3e4f5a6b70819", "subnet-0a0000000000000b2"),  -- private-b
  standby.map_id("subnet-0d3e4f5a6b7c8091a", "subnet-0a0000000000000c3"),  -- public-a
  standby.map_id("subnet-0e4f5a6b7c8d9012b", "subnet-0a0000000000000d4"),  -- public-b
  standby.map_id("vpc-0a3c5e7f9b1d24680", "vpc-0c0000000000000a1"),
  standby.map_id("sg-0a9b8c7d6e5f40312", "sg-0b0000000000000c3"),          -- control plane
  standby.map_id("sg-0b8c7d6e5f4a30211", "sg-0b0000000000000a1"),          -- ops bastion
  standby.map_id("sg-0c7d6e5f4a3b20110", "sg-0b0000000000000e5"),          -- nodes
  standby.map_id("sg-0d6e5f4a3b2c1f009", "sg-0b0000000000000b2"),          -- orders ALB
  standby.map_id("sg-0f1e2d3c4b5a69788", "sg-0b0000000000000d4"),          -- EKS cluster SG
  standby.map_id("fs-0a1b2c3d4e5f67890", "fs-0d0000000000000a1"),          -- EFS, replicated
  standby.map_id("fsap-0f9e8d7c6b5a43210", "fsap-0d0000000000000b2"),
  standby.map_id("arn:aws:acm:us-east-1:111111111111:certificate/4f6e2a1b-8c3d-4e5f-9a0b-1c2d3e4f5a6b",
                 "arn:aws:acm:us-west-2:999988887777:certificate/9a8b7c6d-0000-4000-8000-000000000001"),
  standby.map_id("arn:aws:wafv2:us-east-1:111111111111:regional/webacl/orders-web-acl/7c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f",
                 "arn:aws:wafv2:us-west-2:999988887777:regional/webacl/orders-web-acl/0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"),
  standby.map_id("arn:aws:kms:us-east-1:111111111111:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b",
                 "arn:aws:kms:us-west-2:999988887777:key/6c5d4e3f-2a1b-4c0d-9e8f-7a6b5c4d3e2f"),

  -- 2. Buckets named after the account.
  standby.rule{
    name = "orders upload bucket",
    match = { ["k8s:kind"] = "ConfigMap", ["k8s:namespace"] = "orders" },
    apply = function(obj, ctx)
      if obj.data and obj.data.UPLOAD_BUCKET then
        obj.data.UPLOAD_BUCKET = recovery_bucket(obj.data.UPLOAD_BUCKET, ctx)
      end
    end,
  },
  standby.rule{
    name = "ALB access-log bucket",
    match = { ["k8s:kind"] = "Ingress", ["k8s:namespace"] = "orders" },
    apply = function(obj, ctx)
      local annotations = obj.metadata.annotations or {}
      local key = "alb.ingress.kubernetes.io/load-balancer-attributes"
      if annotations[key] then
        annotations[key] = annotations[key]:gsub("(access_logs%.s3%.bucket=)([%w%.%-]+)", function(prefix, bucket)
          return prefix .. recovery_bucket(bucket, ctx)
        end)
      end
    end,
  },

  -- 3. Docker Hub through the recovery mirror.
  standby.rule{
    name = "Docker Hub mirror",
    match = { { ["k8s:namespace"] = "checkout" }, { ["k8s:namespace"] = "payments" } },
    apply = function(obj)
      local pod = obj.spec and obj.spec.template and obj.spec.template.spec
      for _, c in ipairs(pod and pod.containers or {}) do
        c.image = c.image:gsub("^docker%.io/", "mirror-dr.contoso.com/dockerhub/")
      end
    end,
  },
}
