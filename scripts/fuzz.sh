#!/usr/bin/env bash
# Fuzzes Standby's readers of outside input with libFuzzer, each for a bounded time.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 600); TARGETs among json yaml arm-id arn image kubeconfig estate
# point-manifest (default: all). Builds `standby-fuzz` with -sanitize=fuzzer,address (Swift and C,
# libyaml included) in .build-fuzz, then runs each target from a temporary copy of its seeds in
# Tests/Fuzz/Corpus/<target>/ with these bounds:
#
#   -max_total_time=SECONDS   the run's length
#   -rss_limit_mb=2048        resident memory of the process, and -malloc_limit_mb (the same
#                             value) for any single allocation: beyond either is an OOM failure
#   -timeout=10               seconds for one input: beyond is a hang
#   -max_len=16384            bytes per input (deep-nesting crashers need ~9 KB)
#
# Override with FUZZ_RSS_LIMIT_MB, FUZZ_TIMEOUT, FUZZ_MAX_LEN; FUZZ_JOBS (default 1) runs that
# many fuzzing processes per target (libFuzzer -fork). Leak detection is off: the Swift runtime's
# caches live until exit and are not leaks.
#
# Nothing is written into the checkout: corpora, crashers and logs go to a temporary folder
# (printed; FUZZ_WORK chooses it). To keep a crasher, copy it into Tests/Fuzz/Corpus/<target>/,
# where FuzzCorpusTests runs it on every `swift test`; replay one with
# `.build-fuzz/release/standby-fuzz --target=<target> <file>`.
#
# Prints per target: status, time, executions, exec/s, coverage (libFuzzer's cov: edges and ft:
# features at the end) and peak RSS. Exits 1 if any target crashed, hung, ran out of memory or
# failed otherwise, 2 on bad arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/ensure-deps.sh
standby_ensure_deps || exit 1

all_targets=(json yaml arm-id arn image kubeconfig estate point-manifest)
seconds=600
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
    seconds=$1
    shift
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
    if [[ " ${all_targets[*]} " != *" $t "* ]]; then
        echo "fuzz: unknown target '$t': the targets are ${all_targets[*]}" >&2
        exit 2
    fi
    if [ ! -d "Tests/Fuzz/Corpus/$t" ]; then
        echo "fuzz: Tests/Fuzz/Corpus/$t is missing: every target starts from its seeds" >&2
        exit 2
    fi
done
if [ "$seconds" -lt 1 ]; then
    echo "fuzz: SECONDS must be at least 1" >&2
    exit 2
fi

rss_limit_mb="${FUZZ_RSS_LIMIT_MB:-2048}"
timeout_s="${FUZZ_TIMEOUT:-10}"
max_len="${FUZZ_MAX_LEN:-16384}"
jobs="${FUZZ_JOBS:-1}"

# shellcheck disable=SC2054 # the commas list sanitizers, not array elements
build=(swift build -c release --scratch-path .build-fuzz
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -DSTANDBY_FUZZ -Xcc -fsanitize=fuzzer-no-link,address)
echo "fuzz: building standby-fuzz with libFuzzer and AddressSanitizer (.build-fuzz)" >&2
"${build[@]}" --product standby-fuzz >&2
bin="$("${build[@]}" --show-bin-path)/standby-fuzz"

work="${FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/standby-fuzz.XXXXXX")}"
mkdir -p "$work"
echo "fuzz: ${seconds}s per target; corpora, crashers and logs in $work" >&2
echo "fuzz: bounds: rss ${rss_limit_mb} MB, one allocation ${rss_limit_mb} MB, ${timeout_s}s per input, ${max_len} bytes per input" >&2

# The value of libFuzzer's `stat::NAME:` line in a log, or "?".
final_stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -1 | grep . || echo "?"; }
# The value after `NAME: ` on the last status line (`#123 DONE cov: 10 ft: 20 ...`), or "?".
status_field() {
    grep -E '^#[0-9]+' "$2" | tail -1 | sed -n "s/.* $1: \([0-9]*\).*/\1/p" | grep . || echo "?"
}

failed=0
results=()
for t in "${targets[@]}"; do
    dir="$work/$t"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    cp -R "Tests/Fuzz/Corpus/$t/." "$dir/corpus/"
    log="$dir/fuzz.log"
    echo "fuzz: $t ..." >&2
    fork=()
    [ "$jobs" -gt 1 ] && fork=("-fork=$jobs")
    start=$SECONDS
    rc=0
    # The Swift backtracer would race AddressSanitizer's report; libFuzzer prints the stack.
    SWIFT_BACKTRACE=enable=no "$bin" "--target=$t" "${fork[@]}" \
        -max_total_time="$seconds" -rss_limit_mb="$rss_limit_mb" -malloc_limit_mb="$rss_limit_mb" \
        -timeout="$timeout_s" -max_len="$max_len" -detect_leaks=0 -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" "$dir/corpus" >"$log" 2>&1 || rc=$?
    elapsed=$((SECONDS - start))

    artifact="$(find "$dir/artifacts" -type f | head -1)"
    if [ -n "$artifact" ]; then
        case "$(basename "$artifact")" in
            timeout-*) status="HANG" ;;
            oom-*) status="OOM" ;;
            slow-unit-*) status="SLOW" ;;
            *) status="CRASH" ;;
        esac
    elif [ "$rc" -ne 0 ]; then
        status="FAILED(exit $rc)"
    else
        status="ok"
    fi
    [ "$status" = "ok" ] || failed=1
    line="$(printf '%-15s %-10s %6ss %12s %9s %7s %8s %8s %8s' "$t" "$status" "$elapsed" \
        "$(final_stat number_of_executed_units "$log")" "$(final_stat average_exec_per_sec "$log")" \
        "$(status_field cov "$log")" "$(status_field ft "$log")" "$(status_field corp "$log")" \
        "$(final_stat peak_rss_mb "$log")")"
    results+=("$line")
    echo "$line" >&2
    if [ "$status" != "ok" ]; then
        echo "fuzz: $t: $status; log $log${artifact:+, input $artifact}" >&2
        grep -m 5 -E 'ERROR:|invariant broken|Fatal error|SUMMARY' "$log" >&2 || true
    fi
done

echo
printf '%-15s %-10s %7s %12s %9s %7s %8s %8s %8s\n' target status time executions exec/s cov ft corpus rss_mb
printf '%s\n' "${results[@]}"
echo "(cov: edges covered, ft: features, corpus: inputs kept, rss_mb: peak resident memory; logs and inputs in $work)"
exit "$failed"
