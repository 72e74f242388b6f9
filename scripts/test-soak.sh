#!/usr/bin/env bash
# Runs the whole suite again and again on a clean clone, to find tests whose verdict depends on
# how fast the machine is that minute.
#
#   scripts/test-soak.sh [-n RUNS] [-l BURNERS] [--fresh] [--keep] [--clone DIR]
#
#   -n RUNS      how many runs of `.ci/run` (default 5)
#   -l BURNERS   that many CPU-burning processes run beside every run (default 0)
#   --fresh      clone anew before every run, so each one builds from cold as CI does
#                (default: one clone, built by the first run and reused)
#   --keep       keep the clone(s) afterwards
#   --clone DIR  clone into DIR and keep it; if DIR is already a clone of this repository, it is
#                reset to HEAD and cleaned of everything but its build folder, so a second soak
#                (say, under load) need not build from cold again
#
# The clone is of HEAD (what is committed, nothing else) into a scratch directory; each run is
# `CI=true bash .ci/run` there with no standard input, as CI runs it. Every run's log, verdict,
# wall time and failed tests are reported; logs stay under test-output/soak/<time>/.
# Exits non-zero when any run failed.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
burners=0
fresh=false
keep=false
reuse=""
while [ $# -gt 0 ]; do
    case "$1" in
        -n) runs=${2:?-n needs a number}; shift 2 ;;
        -l) burners=${2:?-l needs a number}; shift 2 ;;
        --fresh) fresh=true; shift ;;
        --keep) keep=true; shift ;;
        --clone) reuse=${2:?--clone needs a directory}; keep=true; shift 2 ;;
        -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
        *) echo "test-soak: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "test-soak: -n takes a whole number ≥ 1, not '$runs'" >&2; exit 2; }
[[ "$burners" =~ ^[0-9]+$ ]] || { echo "test-soak: -l takes a whole number ≥ 0, not '$burners'" >&2; exit 2; }

repo=$(pwd)
revision=$(git rev-parse --short HEAD)
logs="$repo/test-output/soak/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$logs"
scratch=$(mktemp -d /tmp/noit-soak.XXXXXX)
workdir="$scratch/clone"
if [ -n "$reuse" ]; then workdir=$(realpath -m "$reuse"); fi
burner_pids=()

cleanup() {
    for pid in "${burner_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    if ! $keep; then rm -rf "$scratch"; fi
}
trap cleanup EXIT

for _ in $(seq 1 "$burners"); do
    ( while :; do :; done ) &
    burner_pids+=("$!")
done

clone() {
    if [ -n "$reuse" ] && [ -d "$workdir/.git" ] && ! $fresh; then
        git -C "$workdir" fetch --quiet "$repo" HEAD
        git -C "$workdir" reset --quiet --hard FETCH_HEAD
        git -C "$workdir" clean --quiet -fdx -e .build
        return
    fi
    rm -rf "$workdir"
    git clone --quiet "$repo" "$workdir"
}

echo "test-soak: $runs run(s) of .ci/run on a clean clone of $revision, $burners CPU burner(s) beside, fresh clone each run: $fresh"
echo "test-soak: logs in $logs"
clone
passed=0
failed=0
summary=()
for run in $(seq 1 "$runs"); do
    if $fresh && [ "$run" -gt 1 ]; then clone; fi
    log="$logs/run-$run.log"
    start=$(date +%s)
    status=0
    (cd "$workdir" && CI=true bash .ci/run </dev/null >"$log" 2>&1) || status=$?
    seconds=$(( $(date +%s) - start ))
    # The run's own test count and time, as swift-testing closes its log.
    closing=$(grep -E '^. Test run with [0-9]+ tests' "$log" | tail -n 1 | sed -E 's/^. //' || true)
    if [ "$status" -eq 0 ]; then
        passed=$((passed + 1))
        line="run $run: passed in ${seconds}s — ${closing:-no closing line}"
    else
        failed=$((failed + 1))
        line="run $run: FAILED (exit $status) in ${seconds}s — ${closing:-no closing line}"
        # A failed swift-testing test ends with "✘ Test NAME failed after …"; a crash names
        # no test, so its signal line is kept instead.
        names=$(grep -E '^✘ Test .* failed after' "$log" | grep -v '^✘ Test run with' | sed -E 's/^✘ Test (.*) failed after.*/\1/' | sort -u || true)
        crashes=$(grep -E 'Fatal error|exited with signal|Exited with signal|error: Exited with unexpected signal' "$log" | sort -u | head -5 || true)
        [ -n "$names" ] && line+=$'\n'"$(sed 's/^/    failed: /' <<<"$names")"
        [ -n "$crashes" ] && line+=$'\n'"$(sed 's/^/    crash: /' <<<"$crashes")"
        [ -z "$names$crashes" ] && line+=$'\n'"    no failed test named: see $log"
    fi
    echo "$line"
    summary+=("$line")
done

{
    echo "revision $revision, $runs run(s), $burners burner(s), fresh clone each run: $fresh"
    printf '%s\n' "${summary[@]}"
    echo "soak: $passed of $runs runs passed"
} >"$logs/summary.txt"
echo "soak: $passed of $runs runs passed (summary: $logs/summary.txt)"
[ "$failed" -eq 0 ]
