#!/usr/bin/env bash
# The anchor: jq applying ONE image-registry rewrite to the 100k-Deployment list
# (written by `standby-bench generate 100000 FILE`; scripts/bench.sh runs both).
exec jq -c '.items |= map(.spec.template.spec.containers |= map(.image |= sub("^111111111111\\.dkr\\.ecr\\.us-east-1"; "222222222222.dkr.ecr.us-west-2")))' "${1:-/tmp/big100k.json}"
