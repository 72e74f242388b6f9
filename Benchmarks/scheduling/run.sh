#!/usr/bin/env bash
# Scheduling benchmark (release build): CHECKS checks every PERIOD_MS against local listeners
# for DURATION seconds; reports start lateness (p50/p99/max), CPU seconds and peak RSS of noitd.
# Defaults: 10,000 checks every 6 s = 100,000 checks per minute, for 70 s.
# MODULES: comma-separated mix, round-robin over the checks: tcp, http, ping (default tcp).
set -euo pipefail
cd "$(dirname "$0")/../.."

CHECKS=${CHECKS:-10000}
PERIOD_MS=${PERIOD_MS:-6000}
DURATION=${DURATION:-70}
WARMUP=${WARMUP:-10}
PORTS=${PORTS:-10}
BASE_PORT=${BASE_PORT:-47000}
HTTP_PORT=${HTTP_PORT:-47990}
MODULES=${MODULES:-tcp}

swift build -c release --product noitd >/dev/null
bin="$(swift build -c release --show-bin-path)/noitd"
work=$(mktemp -d /tmp/noit-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

python3 Benchmarks/scheduling/listener.py "$BASE_PORT" "$PORTS" > "$work/listener.log" 2>&1 &
listener=$!
# The default ports lie in Linux's ephemeral range: right after a run, sockets of the previous
# noitd (FIN_WAIT2 for up to a minute) can hold one, and the listener cannot bind. Say so
# instead of waiting forever; pick BASE_PORT/HTTP_PORT below 32768 or wait a minute.
until grep -q listening "$work/listener.log" 2>/dev/null; do
    if ! kill -0 "$listener" 2>/dev/null; then
        echo "listener failed to start:" >&2
        tail -1 "$work/listener.log" >&2
        exit 1
    fi
    sleep 0.1
done

python3 - "$CHECKS" "$PERIOD_MS" "$PORTS" "$BASE_PORT" "$HTTP_PORT" "$MODULES" > "$work/noitd.conf" <<'PY'
import sys, uuid
checks, period, ports, base, http = map(int, sys.argv[1:6])
modules = sys.argv[6].split(",")
print('<noit>')
print('  <journal path="journal" fsync_interval="1000" max_bytes="4294967296"/>')
print(f'  <listeners><listener type="http" address="127.0.0.1" port="{http}"/></listeners>')
print(f'  <checks target="127.0.0.1" period="{period}" timeout="2000">')
for i in range(checks):
    module, port = modules[i % len(modules)], base + i % ports
    if module == "tcp":
        config = f"<port>{port}</port>"
    elif module == "http":
        config = f"<url>http://127.0.0.1:{port}/</url>"
    elif module == "ping":
        module, config = "ping_icmp", "<count>1</count><interval>100</interval>"
    print(f'    <check uuid="{uuid.uuid4()}" module="{module}" name="c{i}"><config>{config}</config></check>')
print('  </checks>')
print('</noit>')
PY

"$bin" --config "$work/noitd.conf" --foreground --log-level warning > "$work/noitd.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$HTTP_PORT/metrics" > /dev/null; do sleep 0.2; done
sleep "$WARMUP"
python3 Benchmarks/scheduling/report.py snapshot "$pid" "$HTTP_PORT" > "$work/start.json"
sleep $((DURATION - WARMUP))
python3 Benchmarks/scheduling/report.py snapshot "$pid" "$HTTP_PORT" > "$work/end.json"
echo "modules: $MODULES"
python3 Benchmarks/scheduling/report.py compare "$work/start.json" "$work/end.json" "$CHECKS" "$PERIOD_MS"
kill -TERM "$pid"; wait "$pid" || true
grep -iE "error|fell behind" "$work/noitd.log" | head -5 || true
