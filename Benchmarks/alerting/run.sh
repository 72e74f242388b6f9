#!/usr/bin/env bash
# Alerting benchmark (release builds), stratcond on its embedded PostgreSQL as `make run` has it.
#
# Phase 1, rule evaluation cost: a noitd journal pre-filled with CHECKS checks × RUNS runs ×
# METRICS numeric metrics (CHECKS × METRICS series, 10,000 by default) is pulled by stratcond
# with an anomaly rule on every metric (and, with RULES=all, a threshold and a forecast rule
# too). stratcond reports at shutdown how many values its detectors judged and the time spent
# judging (the evaluator alone, one thread): values/s per core.
# Phase 2, time from a stored value to the hook's request: a live noitd runs LIVE_CHECKS
# external checks every 2 s whose value flips between 0 and 20 every other run, so each
# check opens and resolves an alert every 4 s; a webhook receiver records, per request, the
# time since the batch holding the value committed (details.stored_at).
set -euo pipefail
cd "$(dirname "$0")/../.."

CHECKS=${CHECKS:-2000}
RUNS=${RUNS:-60}
METRICS=${METRICS:-5}
RULES=${RULES:-anomaly}
LIVE_CHECKS=${LIVE_CHECKS:-200}
LIVE_DURATION=${LIVE_DURATION:-60}
FEED_PORT=${FEED_PORT:-27292}
PG_PORT=${PG_PORT:-27430}
HOOK_PORT=${HOOK_PORT:-27480}
PHASES=${PHASES:-1 2}

swift build -c release --product noitd >/dev/null
swift build -c release --product stratcond >/dev/null
bin="$(swift build -c release --show-bin-path)"
work=$(mktemp -d /tmp/noit-alerting-bench.XXXXXX)
chmod 755 "$work"   # the embedded cluster's owner (postgres) must reach its directory
stratcond_pid=""
cleanup() {
    [ -n "$stratcond_pid" ] && kill -TERM "$stratcond_pid" 2>/dev/null && wait "$stratcond_pid" 2>/dev/null
    kill $(jobs -p) 2>/dev/null || true
    wait 2>/dev/null || true
    [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
scripts/make-certs.sh "$work/certs" 2>/dev/null

write_noitd_conf() { # $1: directory, $2: checks xml
    mkdir -p "$1"
    cat > "$1/noitd.conf" <<XML
<noit>
  <journal path="journal" fsync_interval="1000" max_bytes="4294967296"/>
  <access><program path="/bin/sh"/></access>
  <listeners>
    <listener type="feed" address="127.0.0.1" port="$FEED_PORT" ssl_cert="$work/certs/noitd.crt"
              ssl_key="$work/certs/noitd.key" ssl_ca="$work/certs/ca.crt" subscribers="stratcond-local"/>
  </listeners>
  <checks target="127.0.0.1" period="2000" timeout="1500">$2</checks>
</noit>
XML
}
start_stratcond() { # $1: directory, $2: log name, $3: alerting xml
    mkdir -p "$1"
    log="$1/$2.log"
    cat > "$1/stratcon.conf" <<XML
<stratcon>
  <data path="data"/>
  <database embedded_port="$PG_PORT"/>
  <tls cert="$work/certs/stratcond.crt" key="$work/certs/stratcond.key" ca="$work/certs/ca.crt"/>
  <noits statistics_interval="10"><noit address="127.0.0.1" port="$FEED_PORT" server_name="localhost"/></noits>
  <listeners><listener type="http" address="127.0.0.1" port="0"/></listeners>
  $3
</stratcon>
XML
    "$bin/stratcond" --config "$1/stratcon.conf" > "$log" 2>&1 &
    stratcond_pid=$!
    until grep -q "stratcond ready" "$log"; do
        kill -0 "$stratcond_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
        sleep 0.1
    done
}
stop_stratcond() {
    kill -TERM "$stratcond_pid"; wait "$stratcond_pid" || true; stratcond_pid=""
}
sql() { psql -X -q -A -t -h "$work/$1/data/postgres" -p "$PG_PORT" -U stratcon stratcon "${@:2}"; }

if [[ " $PHASES " == *" 1 "* ]]; then
series=$((CHECKS * METRICS))
echo "== phase 1: rule evaluation, $CHECKS checks × $METRICS metrics = $series series under $RULES rules, $RUNS values each"
rules='<rule name="anomalous" type="anomaly" metric="metric*"/>'
if [ "$RULES" = all ]; then
    rules+='<rule name="high" type="threshold" metric="metric*" above="990" clear="900" consecutive="3"/>'
    rules+='<rule name="trend" type="forecast" metric="metric*" above="2000" window="1h" horizon="1d"/>'
fi
write_noitd_conf "$work/noitd" ""
records=$(python3 Benchmarks/ingest/gen_journal.py "$work/noitd/journal" "$CHECKS" "$RUNS" "$METRICS" 60)
"$bin/noitd" --config "$work/noitd/noitd.conf" --foreground --log-level warning > "$work/noitd/noitd.log" 2>&1 &
noitd_pid=$!
start_stratcond "$work/eval" eval "<alerting><rules>$rules</rules></alerting>"
expected=$((CHECKS * RUNS * METRICS))
until [ "$(sql eval -c "SELECT count(*) FROM metric_numeric_archive")" -ge "$expected" ]; do sleep 1; done
stop_stratcond
kill -TERM "$noitd_pid"; wait "$noitd_pid" || true
line=$(grep "alerting statistics" "$work/eval/eval.log")
judgments=$(sed 's/.*judgments=\([0-9]*\).*/\1/' <<<"$line")
seconds=$(sed 's/.*judging_seconds=\([0-9.e-]*\).*/\1/' <<<"$line")
echo "$line" | sed 's/^.*stratcond: \(.*\) \[Alerting\] alerting statistics/statistics: \1/'
echo "judged $judgments values in $seconds s of judging: $(python3 -c "print(round($judgments / $seconds))") values/s on one core"
fi

[[ " $PHASES " == *" 2 "* ]] || exit 0
echo "== phase 2: stored value → hook request, $LIVE_CHECKS checks every 2 s flipping every other run, $LIVE_DURATION s"
python3 Benchmarks/alerting/receiver.py "$HOOK_PORT" "$work/latency.txt" > "$work/receiver.log" 2>&1 &
until grep -q listening "$work/receiver.log" 2>/dev/null; do sleep 0.1; done
checks=$(python3 -c "
import uuid
for i in range($LIVE_CHECKS):
    print(f'<check uuid=\"{uuid.uuid4()}\" module=\"external\" name=\"flip{i}\"><config><command>/bin/sh</command>'
          f'<arg1>-c</arg1><arg2>echo \"OK | value=\$(( \$(date +%s) / 4 % 2 * 20 ))\"</arg2></config></check>')
")
write_noitd_conf "$work/live-noitd" "$checks"
"$bin/noitd" --config "$work/live-noitd/noitd.conf" --foreground --log-level warning > "$work/live-noitd/noitd.log" 2>&1 &
noitd_pid=$!
start_stratcond "$work/live" live "<alerting><hooks><hook name=\"bench\" type=\"webhook\" url=\"http://127.0.0.1:$HOOK_PORT/hook\"/></hooks>
  <rules><rule name=\"flip\" type=\"threshold\" metric=\"value\" above=\"10\" clear=\"5\"/></rules></alerting>"
sleep "$LIVE_DURATION"
stop_stratcond
kill -TERM "$noitd_pid"; wait "$noitd_pid" || true
python3 - "$work/latency.txt" <<'PY'
import sys
values = sorted(float(line.split()[1]) for line in open(sys.argv[1]) if line.strip())
if not values:
    sys.exit("no notifications arrived")
def pct(p): return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
print(f"notifications: {len(values)}; stored → hook request: p50 {pct(50):.1f} ms, p99 {pct(99):.1f} ms, max {values[-1]:.1f} ms")
PY
