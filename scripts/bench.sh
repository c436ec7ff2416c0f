#!/usr/bin/env bash
# Benchmark (not a test): prints timing and memory figures, asserts nothing, exits 0.
#
#   1. standby-bench walk: the selection walk on a generated estate of 10k and 100k Kubernetes
#      objects plus 5k ARM resources (median of 3 runs each).
#   2. standby-bench load: loading /tmp/big100k.json (100k Deployments, written by
#      `standby-bench generate 100000`) and walking all of it (median of 3 runs).
#   3. Side by side, A B A B, under /usr/bin/time -v: `standby run scripts/bench/plan.lua` (load,
#      select, walk, translate with 10 Lua rules, narrow and broad, build the plan and write it:
#      100,000 manifest files plus all.yaml and the reports) against the jq anchor
#      (scripts/bench/jq-anchor.sh, one image-registry rewrite).
#
#   4. standby-bench apply: 10k generated objects applied (graph order, 16 in flight, readiness of
#      the Deployments awaited) to the Kubernetes wire-format test server with 5 ms latency added
#      per request; objects per second.
#
# Everything it reads is in the repository or generated; jq and GNU time (Debian packages) are
# installed when missing.
#
# Environment: BENCH_FILE (default /tmp/big100k.json), BENCH_SCRATCH (a --scratch-path for swift
# build; default .build).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/ensure-deps.sh
standby_ensure_deps || exit 1
# jq for the anchor; GNU time for the figures (by path: `time` alone is bash's keyword).
standby_ensure_commands jq:jq /usr/bin/time:time || exit 1

file="${BENCH_FILE:-/tmp/big100k.json}"

scratch=()
[ -n "${BENCH_SCRATCH:-}" ] && scratch=(--scratch-path "$BENCH_SCRATCH")
swift build -c release "${scratch[@]}" --product standby-bench >&2
swift build -c release "${scratch[@]}" --product standby >&2
bench="$(swift build -c release "${scratch[@]}" --show-bin-path)/standby-bench"
standby="$(swift build -c release "${scratch[@]}" --show-bin-path)/standby"

if [ ! -f "$file" ]; then
    echo "bench: generating $file" >&2
    "$bench" generate 100000 "$file" >&2
fi

echo "machine: $(nproc) cores, $(uname -sr), $(swift --version 2>/dev/null | head -1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"$bench" walk || echo "bench: walk failed (exit $?)"
echo
"$bench" load "$file" || echo "bench: load failed (exit $?)"
echo

# /usr/bin/time -v report → "elapsed s, peak MiB".
figures() {
    awk -F': ' '
        /Elapsed \(wall clock\) time/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
        /Maximum resident set size/   { rss = $2 / 1024 }
        /Exit status/                 { status = $2 }
        END { printf "%6.2f s  %7.1f MiB  (exit %s)", wall, rss, status }' "$1"
}

echo "side by side on $file ($(du -m "$file" | cut -f1) MB), A B A B, /usr/bin/time -v:"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
for round in 1 2; do
    for shape in narrow broad; do
        /usr/bin/time -v -o "$report" "$standby" run scripts/bench/plan.lua "$file" "$shape" > /dev/null || true
        echo "  A$round standby plan, 10 Lua rules ($shape): $(figures "$report")"
    done
    /usr/bin/time -v -o "$report" bash scripts/bench/jq-anchor.sh "$file" > /dev/null || true
    echo "  B$round jq anchor (one rewrite):           $(figures "$report")"
done
echo "stages of one plan run (CPU seconds):"
"$standby" run scripts/bench/plan.lua "$file" narrow | sed 's/^/  /'
echo "target: the whole plan (select, walk, translate with 10 Lua rules, write manifests) in at most half"
echo "of jq's wall time and peak memory."
echo
# Apply: plan:apply's engine (KubernetesRestore) on 10k objects against the Kubernetes wire-format
# test server with 5 ms added to every answer (an API server across a network).
port=$((20000 + RANDOM % 20000))
python3 Tests/Servers/kube_wire_server.py "$port" > /dev/null 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/version" > /dev/null && break; sleep 0.1; done
curl -sf -X POST "http://127.0.0.1:$port/_test/latency" -d '{"seconds": 0.005}' > /dev/null
"$bench" apply --server "http://127.0.0.1:$port" --objects 10000 || echo "bench: apply failed (exit $?)"
kill "$server" 2> /dev/null || true
echo "target: at least 500 objects/s"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0
