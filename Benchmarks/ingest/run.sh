#!/usr/bin/env bash
# Ingest benchmark (release builds), stratcond on its embedded PostgreSQL as `make run` has it.
#
# Phase 1, throughput: a noitd journal pre-filled with CHECKS checks × RUNS runs (one status
# and METRICS numeric metrics each) is pulled by a fresh stratcond over TLS into PostgreSQL.
# Rate = journal records / (time from the first batch's transaction start until every row is visible).
# Phase 2, the limit: the same archive rows, dumped with `\copy ... TO`, truncated and loaded
# again with `psql \copy ... FROM` into the same tables of the same server, timed.
# Phase 3, latency: a live noitd running LIVE_CHECKS tcp checks every LIVE_PERIOD_MS against
# local listeners, for LIVE_DURATION seconds; stratcond logs the completion-to-commit lag of
# every status (per 10 s interval, and in total at shutdown).
set -euo pipefail
cd "$(dirname "$0")/../.."

CHECKS=${CHECKS:-2000}
RUNS=${RUNS:-60}
METRICS=${METRICS:-5}
LIVE_CHECKS=${LIVE_CHECKS:-2000}
LIVE_PERIOD_MS=${LIVE_PERIOD_MS:-10000}
LIVE_DURATION=${LIVE_DURATION:-70}
FEED_PORT=${FEED_PORT:-27192}
PG_PORT=${PG_PORT:-27330}
LISTEN_PORT=${LISTEN_PORT:-27100}
PHASES=${PHASES:-1 2 3}   # phase 2 needs phase 1's rows

swift build -c release --product noitd >/dev/null
swift build -c release --product stratcond >/dev/null
bin="$(swift build -c release --show-bin-path)"
work=$(mktemp -d /tmp/noit-ingest-bench.XXXXXX)
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
  <listeners>
    <listener type="feed" address="127.0.0.1" port="$FEED_PORT" ssl_cert="$work/certs/noitd.crt"
              ssl_key="$work/certs/noitd.key" ssl_ca="$work/certs/ca.crt" subscribers="stratcond-local"/>
  </listeners>
  <checks target="127.0.0.1" period="$LIVE_PERIOD_MS" timeout="2000">$2</checks>
</noit>
XML
}
start_stratcond() { # $1: directory, $2: log name
    mkdir -p "$1"
    log="$1/$2.log"
    cat > "$1/stratcon.conf" <<XML
<stratcon>
  <data path="data"/>
  <database embedded_port="$PG_PORT"/>
  <tls cert="$work/certs/stratcond.crt" key="$work/certs/stratcond.key" ca="$work/certs/ca.crt"/>
  <noits statistics_interval="10"><noit address="127.0.0.1" port="$FEED_PORT" server_name="localhost"/></noits>
</stratcon>
XML
    "$bin/stratcond" --config "$1/stratcon.conf" > "$log" 2>&1 &
    stratcond_pid=$!
    until grep -q "stratcond ready" "$log" 2>/dev/null; do
        kill -0 "$stratcond_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
        sleep 0.1
    done
}
stop_stratcond() {
    kill -TERM "$stratcond_pid"; wait "$stratcond_pid" || true; stratcond_pid=""
}
sql() { psql -X -q -A -t -h "$work/stratcond/data/postgres" -p "$PG_PORT" -U stratcon stratcon "$@"; }

if [[ " $PHASES " == *" 1 "* ]]; then
echo "== phase 1: feed throughput ($CHECKS checks × $RUNS runs × (1 status + $METRICS metrics))"
write_noitd_conf "$work/noitd" ""
records=$(python3 Benchmarks/ingest/gen_journal.py "$work/noitd/journal" "$CHECKS" "$RUNS" "$METRICS" 60)
"$bin/noitd" --config "$work/noitd/noitd.conf" --foreground --log-level warning > "$work/noitd/noitd.log" 2>&1 &
noitd_pid=$!
start_stratcond "$work/stratcond" feed
expected=$((CHECKS * RUNS * (1 + METRICS)))
deadline=$((SECONDS + 900))
# Polled every 0.1 s: the span runs from the first batch's transaction start (noits.first_seen)
# to the poll that sees the journal's last sequence committed (noits.stored_through moves in
# each batch's own transaction), so it includes the last transaction whole (several batches may
# share one) and up to 0.1 s more: the rate errs low, never high. The poll reads one row:
# counting the archive every 0.1 s took PostgreSQL time from the very ingest it measured.
while :; do
    read -r through span < <(sql -F ' ' -c "SELECT coalesce(max(stored_through), 0), max(extract(epoch FROM clock_timestamp() - first_seen)) FROM noits")
    [ "$through" -ge "$records" ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
        echo "only sequence $through of $records stored in 15 minutes; stratcond's log:" >&2
        tail -20 "$work/stratcond/feed.log" >&2
        exit 1
    fi
    sleep 0.1
done
stored=$(sql -c "SELECT (SELECT count(*) FROM status_archive) + (SELECT count(*) FROM metric_numeric_archive)")
if [ "$stored" -ne "$expected" ]; then
    echo "the journal is stored, but the archive has $stored rows, not $expected" >&2
    exit 1
fi
feed_rate=$(python3 -c "print(round($records / $span))")
echo "journal records: $records; archive rows: $stored; first batch → all rows visible: ${span} s; feed rate: $feed_rate records/s"
# Rollups follow ingest (schema 006): how long after the last batch they were all applied.
until [ "$(sql -c "SELECT count(*) FROM rollup_pending")" -eq 0 ]; do sleep 0.5; done
echo "rollups applied $(sql -c "SELECT round(extract(epoch FROM now() - last_batch)::numeric, 1) FROM noits") s after the last batch began (polled every 0.5 s)"
stop_stratcond
kill -TERM "$noitd_pid"; wait "$noitd_pid" || true
fi

if [[ " $PHASES " == *" 2 "* ]]; then
echo "== phase 2: psql \\copy of the same rows into the same tables"
start_stratcond "$work/stratcond" copy   # only for its cluster; no noit runs now
sql -c "\\copy (SELECT * FROM status_archive) TO '$work/status.copy'" -c "\\copy (SELECT * FROM metric_numeric_archive) TO '$work/metrics.copy'"
sql -c "TRUNCATE status_archive, metric_numeric_archive" -c "CHECKPOINT"
start=$(date +%s.%N)
sql -c "\\copy status_archive FROM '$work/status.copy'" -c "\\copy metric_numeric_archive FROM '$work/metrics.copy'"
end=$(date +%s.%N)
copied=$(sql -c "SELECT (SELECT count(*) FROM status_archive) + (SELECT count(*) FROM metric_numeric_archive)")
copy_rate=$(python3 -c "print(round($copied / ($end - $start)))")
echo "\\copy: $copied rows in $(python3 -c "print(round($end - $start, 2))") s: $copy_rate rows/s"
echo "feed / \\copy: $(python3 -c "print(round($feed_rate / $copy_rate, 2))")"
stop_stratcond
fi

[[ " $PHASES " == *" 3 "* ]] || exit 0
echo "== phase 3: completion-to-commit lag, $LIVE_CHECKS tcp checks every $LIVE_PERIOD_MS ms for $LIVE_DURATION s"
python3 Benchmarks/scheduling/listener.py "$LISTEN_PORT" 10 > "$work/listener.log" 2>&1 &
until grep -q listening "$work/listener.log" 2>/dev/null; do sleep 0.1; done
checks=$(python3 -c "
import uuid
for i in range($LIVE_CHECKS):
    print(f'<check uuid=\"{uuid.uuid4()}\" module=\"tcp\" name=\"live{i}\"><config><port>{$LISTEN_PORT + i % 10}</port></config></check>')
")
write_noitd_conf "$work/live-noitd" "$checks"
"$bin/noitd" --config "$work/live-noitd/noitd.conf" --foreground --log-level warning > "$work/live-noitd/noitd.log" 2>&1 &
noitd_pid=$!
start_stratcond "$work/stratcond" live
sleep "$LIVE_DURATION"
stop_stratcond
kill -TERM "$noitd_pid"; wait "$noitd_pid" || true
grep "feed statistics" "$work/stratcond/live.log" | sed 's/^.*stratcond: \(.*\) \[Stratcon\] feed statistics/interval: \1/' || true
grep "feed totals" "$work/stratcond/live.log" | tail -1 | sed 's/^.*stratcond: \(.*\) \[Stratcon\] feed totals/total: \1/'
