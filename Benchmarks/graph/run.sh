#!/usr/bin/env bash
# Graph API benchmark (release build): stratcond on its embedded PostgreSQL, seeded with one
# year of one-minute data for one metric (525,600 raw points, rollups built by the same
# function ingest uses) and 10,000 checks with a current status; then timed requests over
# one keep-alive connection: /api/series for 1 year, 30 days and 1 day at 400 points, and
# /api/checks returning all 10,000 checks.
set -euo pipefail
cd "$(dirname "$0")/../.."

HTTP_PORT=${HTTP_PORT:-27080}
PG_PORT=${PG_PORT:-27331}
REQUESTS=${REQUESTS:-200}

swift build -c release --product stratcond >/dev/null
bin="$(swift build -c release --show-bin-path)"
work=$(mktemp -d /tmp/noit-graph-bench.XXXXXX)
chmod 755 "$work"
pid=""
cleanup() {
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "kept $work (stratcond stopped)" || rm -rf "$work"
}
trap cleanup EXIT

cat > "$work/stratcon.conf" <<XML
<stratcon>
  <data path="data"/>
  <database embedded_port="$PG_PORT"/>
  <listeners><listener type="http" address="127.0.0.1" port="$HTTP_PORT"/></listeners>
</stratcon>
XML
"$bin/stratcond" --config "$work/stratcon.conf" > "$work/stratcond.log" 2>&1 &
pid=$!
until grep -q "web UI and API listening" "$work/stratcond.log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/stratcond.log" >&2; exit 1; }
    sleep 0.2
done
sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$work/data/postgres" -p "$PG_PORT" -U stratcon stratcon "$@"; }

echo "seeding: 525,600 one-minute points, rollups, 10,000 checks"
start=$(date +%s)
sql <<'SQL'
\set check '''bbbbbbbb-0000-4000-8000-000000000001'''
SELECT noit_ensure_day_partitions((now() - interval '366 days')::date, now()::date);
INSERT INTO checks (uuid, noit, target, module, name, defined_at)
VALUES (:check, 'bench:43192', '10.0.0.1', 'http', 'year of data', now() - interval '366 days');
INSERT INTO metric_numeric_archive (uuid, time, name, value)
SELECT :check, t, 'load', 50 + 40 * sin(extract(epoch FROM t) / 86400 * 2 * pi()) + random() * 5
FROM generate_series(date_trunc('minute', now()) - interval '525599 minutes', date_trunc('minute', now()), interval '1 minute') t;
INSERT INTO metric_catalogue (uuid, name, type, first_seen, last_seen)
SELECT :check, 'load', 'n', min(time), max(time) FROM metric_numeric_archive;
SELECT noit_refresh_rollups(ARRAY[:check::uuid], ARRAY['load'], ARRAY[min(time)], ARRAY[max(time)]) FROM metric_numeric_archive;
INSERT INTO checks (uuid, noit, target, module, name, defined_at)
SELECT md5('check' || i)::uuid, 'bench:43192', '10.1.' || (i / 250) || '.' || (i % 250), 'tcp', 'service ' || i, now()
FROM generate_series(1, 9999) i;
INSERT INTO current_status (uuid, time, state, availability, duration_ms, status, interval_ms)
SELECT uuid, now(), CASE WHEN random() < 0.05 THEN 'B' ELSE 'G' END, 'A', 12, 'connected', 60000 FROM checks;
ANALYZE;
SQL
echo "seeded in $(( $(date +%s) - start )) s: $(sql -c "SELECT count(*) FROM metric_numeric_archive") raw points, $(sql -c "SELECT count(*) FROM metric_rollup_1h") hourly rows, $(sql -c "SELECT count(*) FROM checks") checks"
python3 Benchmarks/graph/measure.py "$HTTP_PORT" "$REQUESTS"
if [ -n "${PROFILE:-}" ]; then
    # perf over /api/checks only: where a 10,000-check answer spends its time.
    perf record -F 2000 -g -p "$pid" -o "$work/perf.data" -- sleep 8 >/dev/null 2>&1 &
    perf_pid=$!
    sleep 0.5
    python3 - "$HTTP_PORT" <<'PY'
import http.client, sys, time
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
end = time.time() + 7
while time.time() < end:
    c.request("GET", "/api/checks"); c.getresponse().read()
PY
    wait "$perf_pid" || true
    perf report -i "$work/perf.data" --no-children --percent-limit 1.5 --stdio 2>/dev/null | grep -E "^ +[0-9]" | head -40
fi
# PostgreSQL's own share of the check list: the list query as the API runs it.
echo "checks list query in PostgreSQL: $(sql -c "EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM (SELECT c.uuid, c.noit, c.target, c.module, c.name, c.defined_at, c.deleted_at, s.time, s.state, s.availability, s.duration_ms, s.status, s.interval_ms, noit_check_condition(s.time, s.state, s.availability, s.interval_ms, now()) AS condition FROM checks c LEFT JOIN current_status s ON s.uuid = c.uuid WHERE c.deleted_at IS NULL) listed ORDER BY name, target, uuid LIMIT 10001" | python3 -c "import json,sys; print(round(json.load(sys.stdin)[0]['Execution Time'], 1), 'ms')")"
