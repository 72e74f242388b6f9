#!/usr/bin/env bash
# `make run`: builds the platform (release) and runs it on this machine: stratcond on its
# embedded PostgreSQL and a noitd monitoring this machine, connected over TLS with
# certificates made on first run. Ctrl-C stops both cleanly (noitd drains and flushes its
# journal; stratcond stores what it holds and stops its PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product noitd
swift build -c release --product stratcond
bin="$(swift build -c release --show-bin-path)"
mkdir -p run/noitd run/stratcond run/certs
scripts/make-certs.sh run/certs
# The running configs live in run/: `write memory` at the console saves there, and the
# examples in conf/ stay as shipped. Delete a copy to start again from the example.
[ -f run/noitd/noitd.conf ] || cp conf/noitd.conf run/noitd/noitd.conf
[ -f run/stratcond/stratcon.conf ] || cp conf/stratcon.conf run/stratcond/stratcon.conf
# The first REST credential: a random token kept only here (0600), its hash in the config.
if [ ! -s run/noitd/api-token ]; then
    made=$("$bin/noitd" --make-token make-run)
    element=$(sed -n 2p <<<"$made")
    sed -i '/<api_token name="make-run"/d' run/noitd/noitd.conf
    if grep -q '<access>' run/noitd/noitd.conf; then
        sed -i "0,/<access>/s||<access>\n    $element|" run/noitd/noitd.conf
    else
        sed -i "s|</noit>|  <access>\n    $element\n  </access>\n</noit>|" run/noitd/noitd.conf
    fi
    (umask 077; sed -n 1p <<<"$made" > run/noitd/api-token)
    echo "made a REST API token for noitd: run/noitd/api-token"
fi

pids=()
stop() {
    trap - INT TERM
    echo
    echo "stopping..."
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    exit 0
}
trap stop INT TERM

"$bin/stratcond" --config run/stratcond/stratcon.conf 2> >(tee run/stratcond/stratcond.log >&2) &
pids+=($!)
"$bin/noitd" --config run/noitd/noitd.conf --foreground 2> >(tee run/noitd/noitd.log >&2) &
pids+=($!)

cat <<INFO

  noitd      (config: run/noitd/noitd.conf, log: run/noitd/noitd.log)
    REST API                 http://127.0.0.1:43191/checks/show
                             changes need the token in run/noitd/api-token, e.g.
                             curl -X POST -H "Authorization: Bearer \$(cat run/noitd/api-token)" \\
                               -H 'Content-Type: application/json' http://127.0.0.1:43191/checks/test \\
                               -d '{"attributes":{"module":"tcp","target":"127.0.0.1"},"config":{"port":"43191"}}'
    Prometheus metrics       http://127.0.0.1:43191/metrics
    console                  telnet 127.0.0.1 32322
    journal feed (TLS)       127.0.0.1:43192
    journal                  run/noitd/journal
  stratcond  (config: run/stratcond/stratcon.conf, log: run/stratcond/stratcond.log)
    PostgreSQL (embedded)    run/stratcond/data/postgres, 127.0.0.1:54330 and its Unix socket
                             psql: runuser -u postgres -- psql -h $PWD/run/stratcond/data/postgres -p 54330 -U stratcon stratcon
    web UI                   http://127.0.0.1:8080/  (checks, graphs; a check's page: click its name)
    graph API (JSON)         http://127.0.0.1:8080/api/checks   (described in /openapi.yaml)
    alerts                   http://127.0.0.1:8080/alerts.html  (rules in run/stratcond/stratcon.conf;
                             every notification is also appended to run/stratcond/alerts.log)
  certificates               run/certs (a private CA, noitd's server and stratcond's client certificate)
  Ctrl-C to stop.

INFO
# Either process ending ends the run (and stops the other).
wait -n "${pids[@]}" || true
stop
