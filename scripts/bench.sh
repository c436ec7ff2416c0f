#!/usr/bin/env bash
# Benchmark (not a test): prints timing and memory figures as Markdown tables, asserts nothing,
# exits 0. Top-down, in one run (release build; external runs measured with /usr/bin/time -v):
#
#   machine       cores, CPU, memory, kernel, Swift, file systems, load average before.
#   1. side by side at 100k, A B A B: the whole plan (`standby run scripts/bench/plan.lua FILE
#      narrow OUT each`: load, select, walk, translate with 10 Lua rules each matching one
#      namespace, build, write a file per object plus all.yaml and the reports) with OUT on tmpfs
#      (/dev/shm), against the jq anchor (scripts/bench/jq-anchor.sh: one image rewrite); wall, CPU,
#      peak RSS, the standby/jq ratios beside the target 0.5; then the broad shape once (10 rules
#      matching every Deployment: 1,000,000 Lua crossings), and the CPU of each stage of run A1.
#   2. disk part at 100k: the same plan with OUT on ext4 (BENCH_DISK_DIR, default /tmp) beside
#      the minimal writer (`standby-bench write-files`: as many files of the same total size, plain
#      open/write/close) on the same file system, interleaved W P W P; the ratio.
#   3. the limit of this machine: reading the input alone (`standby-bench read`: the file into
#      memory, then one pass over every byte) and writing the files alone (the minimal writer on
#      tmpfs), beside the 100k plan's wall time.
#   4. scale: generated Lists of BENCH_SIZES Deployments, the whole plan (narrow, tmpfs) on each:
#      wall, CPU, peak RSS, RSS ÷ input bytes, linearity (wall ÷ wall at 100k ÷ (N / 100k)). A
#      size whose estimated memory (from the 100k run) exceeds MemAvailable is skipped, and said.
#   5. apply: `standby-bench apply`, 10k objects against the Kubernetes wire-format test server
#      with 5 ms added per request; objects per second.
#   load average after.
#
# It reads only the repository and the files it generates (cached in BENCH_DIR between runs,
# named by N: big25k.json, big100k.json, big250k.json, big1M.json; 1M ≈ 900 MB); plan outputs go
# to temporary folders under /dev/shm and BENCH_DISK_DIR, each removed right after its run. jq,
# GNU time, curl and python3 (Debian packages) are installed when missing.
#
# Environment:
#   BENCH_SIZES    scale sizes (default "25000 100000 250000 1000000")
#   BENCH_DIR      where generated inputs are cached (default /tmp)
#   BENCH_FILE     the 100k input of parts 1–3 (default $BENCH_DIR/big100k.json, generated)
#   BENCH_DISK_DIR a folder on ext4 for part 2 (default /tmp)
#   BENCH_BROAD    0 skips the broad run of part 1 (it takes a minute or more)
#   BENCH_SCRATCH  a --scratch-path for swift build (default .build)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091 # followed with shellcheck -x (as the lint test runs it)
. scripts/lib/ensure-deps.sh
standby_ensure_deps || exit 1
# jq for the anchor; GNU time for the figures (by path: `time` alone is bash's keyword); curl and
# python3 for the apply part's test server.
standby_ensure_commands jq:jq /usr/bin/time:time curl:curl python3:python3 || exit 1

bench_dir="${BENCH_DIR:-/tmp}"
sizes="${BENCH_SIZES:-25000 100000 250000 1000000}"
disk_parent="${BENCH_DISK_DIR:-/tmp}"
shm=/dev/shm

scratch=()
[ -n "${BENCH_SCRATCH:-}" ] && scratch=(--scratch-path "$BENCH_SCRATCH")
swift build -c release "${scratch[@]}" --product standby-bench >&2
swift build -c release "${scratch[@]}" --product standby >&2
bin="$(swift build -c release "${scratch[@]}" --show-bin-path)"
bench="$bin/standby-bench"
standby="$bin/standby"

# Temporary state: /usr/bin/time reports, captured output, plan folders on tmpfs and on disk.
tmp="$(mktemp -d)"
shm_work="$(mktemp -d "$shm/standby-bench.XXXXXX")"
disk_work="$(mktemp -d "$disk_parent/standby-bench.XXXXXX")"
server=""
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2> /dev/null || true; fi
    rm -rf "$tmp" "$shm_work" "$disk_work"
}
trap cleanup EXIT

# --- helpers -------------------------------------------------------------------------------------

# compact N → 25k, 100k, 1M (the cache file's name).
compact() {
    local n=$1
    if [ $((n % 1000000)) -eq 0 ]; then echo "$((n / 1000000))M"
    elif [ $((n % 1000)) -eq 0 ]; then echo "$((n / 1000))k"
    else echo "$n"; fi
}

# input N → the generated List of N Deployments, made once and cached in BENCH_DIR.
input() {
    local f
    f="$bench_dir/big$(compact "$1").json"
    if [ ! -s "$f" ]; then
        echo "bench: generating $f ($1 Deployments)" >&2
        "$bench" generate "$1" "$f" > /dev/null
    fi
    echo "$f"
}

# calc 'awk expression' → its value (floating point).
calc() { awk "BEGIN { printf \"%s\", $1 }"; }
# fixed DECIMALS VALUE
fixed() { awk -v d="$1" -v x="$2" 'BEGIN { printf "%.*f", d, x }'; }
# mib KIB → "1,147 MiB"-style, from KiB.
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
# grouped N → 100,000
grouped() { printf "%s" "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

# timed OUT CMD...: runs CMD under /usr/bin/time -v, its stdout to OUT and its stderr to a file;
# sets WALL (s), CPU (user+sys s), RSS (peak KiB) and STATUS ("0", "exit N", "signal N"). A
# failure is said on stderr with the end of the command's own error output.
timed() {
    local out="$1"; shift
    /usr/bin/time -v -o "$tmp/time" "$@" > "$out" 2> "$tmp/err" || true
    read -r WALL CPU RSS STATUS < <(awk -F': ' '
        /Elapsed \(wall clock\) time/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
        /User time \(seconds\)/       { user = $2 }
        /System time \(seconds\)/     { sys = $2 }
        /Maximum resident set size/   { rss = $2 }
        /Exit status/                 { status = $2 }
        /Command terminated by signal/ { sig = $0; sub(/.*signal /, "", sig) }
        END {
            s = (sig != "") ? "signal_" sig : (status == 0 ? "0" : "exit_" status)
            printf "%.2f %.2f %d %s\n", wall, user + sys, rss, s
        }' "$tmp/time")
    STATUS="${STATUS//_/ }"
    if [ "$STATUS" != 0 ]; then
        echo "bench: $* failed ($STATUS); its last error lines:" >&2
        tail -5 "$tmp/err" | sed 's/^/    /' >&2
    fi
}

# row LABEL WHAT: a Markdown row of the last timed run.
row() {
    echo "| $1 | $2 | $(fixed 2 "$WALL") s | $(fixed 2 "$CPU") s | $(mib "$RSS") | $(status_cell "$STATUS") |"
}

# plan_run FILE SHAPE OUT [count]: the whole plan, measured; OUT (and any staging folder beside
# it) is removed right after. With `count`, first sets PLAN_KIB (the folder's size on its file
# system), N_FILES and FILES_BYTES (the per-object files, kubernetes/<cluster>/<ns>/<Kind>/<name>.yaml).
plan_flags=()    # extra `standby run` options (the scale part sets --memory)
plan_run() {
    timed "$tmp/plan.out" "$standby" run "${plan_flags[@]}" scripts/bench/plan.lua "$1" "$2" "$3" each
    if [ "${4:-}" = count ]; then
        PLAN_KIB=$(du -sk "$(dirname "$3")" 2> /dev/null | cut -f1)
        read -r N_FILES FILES_BYTES < <(find "$3" -mindepth 5 -type f -path '*/kubernetes/*' -name '*.yaml' -printf '%s\n' 2> /dev/null |
            awk '{ n++; s += $1 } END { printf "%d %d\n", n, s }')
    fi
    find "$(dirname "$3")" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
}

# writer_run N DIR BYTES: the minimal writer, measured; DIR removed right after.
writer_run() {
    timed "$tmp/writer.out" "$bench" write-files "$1" "$2" "$3"
    rm -rf "$2"
}

# settle DIR: writes back what the last run left on DIR's file system (its files and their
# removal), so the next run does not pay for it.
settle() { sync -f "$1" 2> /dev/null || sync; }

mean2() { calc "($1 + $2) / 2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }

fstype() { df --output=fstype "$1" | tail -1 | tr -d ' '; }
# status_cell STATUS → ok, or the failure in bold.
status_cell() { if [ "$1" = 0 ]; then echo ok; else echo "**failed: $1**"; fi; }

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# --- machine -------------------------------------------------------------------------------------

file="${BENCH_FILE:-$(input 100000)}"
# What parts 1–3 run on: the generated 100k List unless BENCH_FILE names another file.
if [ -n "${BENCH_FILE:-}" ]; then at="on $(basename "$file")"; else at="at 100k"; fi
file_bytes=$(stat -c %s "$file")
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "## Standby benchmark"
echo
echo "### Machine"
echo
echo "| | |"
echo "|---|---|"
echo "| cores | $(nproc) (${cpu_model:-unknown CPU}) |"
echo "| memory | $(mib "$(meminfo MemTotal)") total, $(mib "$(meminfo MemAvailable)") available |"
echo "| system | $(uname -sr) |"
echo "| Swift | $(swift --version 2> /dev/null | head -1) |"
echo "| tmpfs ($shm) | $(fstype "$shm"), $(df -h --output=avail "$shm" | tail -1 | tr -d ' ') free |"
echo "| disk ($disk_parent) | $(fstype "$disk_parent") ($(df --output=source "$disk_parent" | tail -1 | tr -d ' ')), $(df -h --output=avail "$disk_parent" | tail -1 | tr -d ' ') free |"
echo "| load average before | $(cut -d' ' -f1-3 /proc/loadavg) |"
echo

# --- 1. side by side -----------------------------------------------------------------------------

echo "### 1. Side by side $at: the whole plan on tmpfs against jq (A B A B)"
echo
echo "Input $file ($(grouped "$file_bytes") bytes). A: \`standby run scripts/bench/plan.lua FILE narrow OUT each\`"
echo "(load, select, walk, translate with 10 Lua rules each matching one namespace, build, write a file"
echo "per object, all.yaml and the reports), OUT on $shm. B: \`scripts/bench/jq-anchor.sh FILE\` (one image"
echo "rewrite), output to /dev/null. /usr/bin/time -v; CPU is user + system."
echo
echo "| run | what | wall | CPU | peak RSS | status |"
echo "|---|---|---|---|---|---|"
declare -a a_wall a_rss b_wall b_rss
failed_side=""
for round in 1 2; do
    if [ "$round" = 1 ]; then plan_run "$file" narrow "$shm_work/plan/out" count; else plan_run "$file" narrow "$shm_work/plan/out"; fi
    row "A$round" "standby, whole plan, 10 narrow rules, tmpfs"
    a_wall+=("$WALL"); a_rss+=("$RSS")
    if [ "$STATUS" != 0 ]; then failed_side=1; fi
    if [ "$round" = 1 ]; then cp "$tmp/plan.out" "$tmp/stages"; fi
    timed /dev/null bash scripts/bench/jq-anchor.sh "$file"
    row "B$round" "jq anchor, one rewrite"
    b_wall+=("$WALL"); b_rss+=("$RSS")
    if [ "$STATUS" != 0 ]; then failed_side=1; fi
done
if [ "${BENCH_BROAD:-1}" != 0 ]; then
    plan_run "$file" broad "$shm_work/plan/out"
    row "A (broad)" "standby, whole plan, 10 rules each matching every Deployment (1,000,000 crossings), tmpfs"
fi
echo
plan100_wall=$(mean2 "${a_wall[0]}" "${a_wall[1]}")
plan100_rss=$(mean2 "${a_rss[0]}" "${a_rss[1]}")
jq_wall=$(mean2 "${b_wall[0]}" "${b_wall[1]}")
jq_rss=$(mean2 "${b_rss[0]}" "${b_rss[1]}")
echo "| standby ÷ jq (means of the 2 runs) | measured | target |"
echo "|---|---|---|"
echo "| wall time | $(ratio "$plan100_wall" "$jq_wall") ($(fixed 2 "$plan100_wall") s ÷ $(fixed 2 "$jq_wall") s) | ≤ 0.5 |"
echo "| peak RSS | $(ratio "$plan100_rss" "$jq_rss") ($(mib "$plan100_rss") ÷ $(mib "$jq_rss")) | ≤ 0.5 |"
if [ -n "$failed_side" ]; then echo; echo "**A run above failed: its figures are not those of a complete plan.**"; fi
if [ "${BENCH_BROAD:-1}" = 0 ]; then echo; echo "The broad run was skipped (BENCH_BROAD=0)."; fi
echo
echo "Stages of run A1 (CPU seconds, os.clock, as plan.lua prints them):"
echo
echo "| stage | CPU | detail |"
echo "|---|---|---|"
awk '$3 == "s" && $4 == "cpu" { name = $1; cpu = $2; $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); printf "| %s | %s s | %s |\n", name, cpu, $0 }' "$tmp/stages"
echo

# The per-object files run A1 wrote: how many and how big, for the minimal writer.
n_files="${N_FILES:-0}"; files_bytes="${FILES_BYTES:-0}"; plan_kib="${PLAN_KIB:-0}"
if [ "$n_files" -eq 0 ]; then
    echo "bench: found no per-object files in the plan folder; the writer writes 100,000 of 900 bytes instead" >&2
    n_files=100000; files_bytes=90000000
fi
per_file=$((files_bytes / n_files))

# --- 2. disk part --------------------------------------------------------------------------------

echo "### 2. Disk part $at: the plan on $(fstype "$disk_parent") beside the minimal writer (W P W P)"
echo
echo "P: the plan of part 1 with OUT in $disk_work. W: \`standby-bench write-files $n_files DIR $per_file\`:"
echo "$(grouped "$n_files") files of $per_file bytes ($(grouped "$files_bytes") bytes in all, as many as the plan's per-object"
echo "files, in the same layout), plain open/write/close, no fsync, on the same file system. Each run's"
echo "folder is removed and the file system synced (\`sync -f\`) before the next run, untimed."
echo
echo "| run | what | wall | CPU | peak RSS | status |"
echo "|---|---|---|---|---|---|"
declare -a w_wall p_wall
for round in 1 2; do
    settle "$disk_work"
    writer_run "$n_files" "$disk_work/files" "$per_file"
    row "W$round" "minimal writer, disk"
    w_wall+=("$WALL")
    settle "$disk_work"
    plan_run "$file" narrow "$disk_work/plan/out"
    row "P$round" "standby, whole plan, 10 narrow rules, disk"
    p_wall+=("$WALL")
done
echo
writer_disk=$(mean2 "${w_wall[0]}" "${w_wall[1]}")
plan_disk=$(mean2 "${p_wall[0]}" "${p_wall[1]}")
echo "| means of the 2 runs | wall |"
echo "|---|---|"
echo "| plan on disk ÷ minimal writer on disk | $(ratio "$plan_disk" "$writer_disk") ($(fixed 2 "$plan_disk") s ÷ $(fixed 2 "$writer_disk") s) |"
echo "| plan on disk − plan on tmpfs (part 1): what the disk costs the plan | $(fixed 2 "$(calc "$plan_disk - $plan100_wall")") s |"
echo "| the minimal writer on disk | $(fixed 2 "$writer_disk") s |"
echo

# --- 3. the limit of this machine ----------------------------------------------------------------

echo "### 3. The limit of this machine: reading the input and writing the files alone"
echo
timed "$tmp/read.out" "$bench" read "$file"
read_s=$(awk '$1 == "read" { print $2 }' "$tmp/read.out"); read_s=${read_s:-0}
pass_s=$(awk '$1 == "pass" { print $2 }' "$tmp/read.out"); pass_s=${pass_s:-0}
read_status="$(status_cell "$STATUS")"
writer_run "$n_files" "$shm_work/files" "$per_file"
writer_shm="$WALL"
floor=$(calc "$read_s + $pass_s + $writer_shm")
echo "| what | wall | status |"
echo "|---|---|---|"
echo "| read the input ($(basename "$file")) into memory (\`standby-bench read\`: read(2), from the page cache) | $(fixed 3 "$read_s") s | $read_status |"
echo "| one pass over every byte of it | $(fixed 3 "$pass_s") s | $read_status |"
echo "| write $(grouped "$n_files") files of $per_file bytes on tmpfs (minimal writer, process included) | $(fixed 2 "$writer_shm") s | $(status_cell "$STATUS") |"
echo "| the floor: the three together | $(fixed 2 "$floor") s | |"
echo "| the whole plan on tmpfs (part 1, mean of A1 and A2) | $(fixed 2 "$plan100_wall") s = $(ratio "$plan100_wall" "$floor") × the floor | |"
echo "| jq anchor (part 1, mean of B1 and B2) | $(fixed 2 "$jq_wall") s | |"
echo

# --- 4. scale ------------------------------------------------------------------------------------

echo "### 4. Scale: the whole plan (narrow, tmpfs) on generated Lists"
echo
declare -a s_rows ceilings
skipped=()
for s in 25000 100000 250000 1000000; do
    case " $sizes " in *" $s "*) ;; *) skipped+=("$(grouped "$s"): not in BENCH_SIZES") ;; esac
done
ref_wall=""
for n in $sizes; do
    # Memory: peak RSS and the plan folder on tmpfs (which is memory too) scale with N from the
    # 100k runs of part 1, plus a quarter for safety; checked against MemAvailable right now.
    need_kib=$(awk -v r="$plan100_rss" -v p="${plan_kib:-0}" -v n="$n" 'BEGIN { printf "%d", (r + p) * n / 100000 * 1.25 }')
    avail=$(meminfo MemAvailable)
    if [ "$need_kib" -gt "$avail" ]; then
        skipped+=("$(grouped "$n"): needs ≈ $(mib "$need_kib") (peak RSS and plan folder on tmpfs, scaled from 100k, + 25 %), MemAvailable is $(mib "$avail")")
        continue
    fi
    # The sandbox's memory ceiling (2 GiB by default: less than 250k needs today) is raised to
    # what is available less the plan folder, so the sandbox, not the OOM killer, stops a run
    # that outgrows the estimate.
    ceiling=$(awk -v a="$avail" -v p="${plan_kib:-0}" -v n="$n" 'BEGIN { c = (a - p * n / 100000 * 1.25) / 1024; printf "%d", c < 2048 ? 2048 : c }')
    plan_flags=(--memory "$ceiling")
    ceilings+=("$(grouped "$n"): $(grouped "$ceiling") MiB")
    f=$(input "$n")
    echo "bench: scale $n" >&2
    plan_run "$f" narrow "$shm_work/plan/out"
    bytes=$(stat -c %s "$f")
    if [ "$n" = 100000 ]; then ref_wall="$WALL"; fi
    s_rows+=("$n $bytes $WALL $CPU $RSS ${STATUS// /_}")
done
ref_label="the 100k row"
if [ -z "$ref_wall" ]; then
    if [ -z "${BENCH_FILE:-}" ]; then ref_wall="$plan100_wall"; ref_label="part 1's mean: 100k was not in BENCH_SIZES"
    else ref_label="none: 100k was not in BENCH_SIZES and part 1 ran on BENCH_FILE"; fi
fi
echo "| objects | input | wall | CPU | peak RSS | RSS ÷ input | linearity | status |"
echo "|---|---|---|---|---|---|---|---|"
for r in "${s_rows[@]}"; do
    read -r n bytes w c k st <<< "$r"
    st="$(status_cell "${st//_/ }")"
    lin="n/a"
    [ -n "$ref_wall" ] && lin=$(ratio "$(calc "$w / $ref_wall")" "$(calc "$n / 100000")")
    echo "| $(grouped "$n") | $(awk -v b="$bytes" 'BEGIN { printf "%.0f MB", b / 1e6 }') | $(fixed 2 "$w") s | $(fixed 2 "$c") s | $(mib "$k") | $(ratio "$(calc "$k * 1024")" "$bytes") | $lin | $st |"
done
echo
echo "Linearity: wall ÷ (wall at 100k, from $ref_label) ÷ (N / 100k); 1.0 is linear. Targets at 1M:"
echo "RSS ÷ input ≤ 2, linearity ≤ 1.1. Memory checked before each size: ≈ $(awk -v r="$plan100_rss" -v p="$plan_kib" 'BEGIN { printf "%.1f", (r + p) * 1.25 / 100000 }') KiB per object"
echo "(at 100k: peak RSS $(mib "$plan100_rss") + plan folder on tmpfs $(mib "$plan_kib"), + 25 %) against MemAvailable."
if [ ${#ceilings[@]} -gt 0 ]; then
    echo "Run with \`standby run --memory\` (the sandbox's ceiling: MemAvailable less the plan folder): $(printf '%s; ' "${ceilings[@]}" | sed 's/; $//')."
fi
if [ ${#skipped[@]} -gt 0 ]; then
    echo
    echo "Skipped: $(printf '%s; ' "${skipped[@]}" | sed 's/; $//')."
fi
echo

# --- 5. apply ------------------------------------------------------------------------------------

echo "### 5. Apply: plan:apply's engine against the wire-format server, 5 ms added per request"
echo
# KubernetesRestore on 10k generated objects against the Kubernetes wire-format test server with
# 5 ms added to every answer (an API server across a network).
port=$((20000 + RANDOM % 20000))
python3 Tests/Servers/kube_wire_server.py "$port" > /dev/null 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/version" > /dev/null && break; sleep 0.1; done
curl -sf -X POST "http://127.0.0.1:$port/_test/latency" -d '{"seconds": 0.005}' > /dev/null ||
    echo "bench: could not set the test server's latency; the apply figure is without it" >&2
apply_line=$("$bench" apply --server "http://127.0.0.1:$port" --objects 10000 2> "$tmp/apply.err") ||
    { echo "bench: apply failed:" >&2; tail -5 "$tmp/apply.err" >&2; }
kill "$server" 2> /dev/null || true
server=""
rate=$(printf '%s' "$apply_line" | sed -n 's/.*: \([0-9][0-9]*\) objects\/s.*/\1/p')
echo "| objects | in flight | latency added | rate | target |"
echo "|---|---|---|---|---|"
echo "| 10,000 | 16 | 5 ms per request | ${rate:-**n/a: apply failed**} objects/s | ≥ 500 objects/s |"
echo
if [ -n "$apply_line" ]; then echo "\`$apply_line\`"; echo; fi

echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit 0
