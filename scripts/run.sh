#!/usr/bin/env bash
# `make run`: builds noitd (release) and runs it on this machine with a copy of conf/noitd.conf.
# Ctrl-C stops it cleanly: in-flight checks finish, the journal is flushed.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product noitd
bin="$(swift build -c release --show-bin-path)/noitd"
mkdir -p run/noitd
# The running config lives beside the journal: `write memory` at the console saves there, and
# the example in conf/ stays as shipped. Delete run/noitd/noitd.conf to start again from it.
if [ ! -f run/noitd/noitd.conf ]; then
    cp conf/noitd.conf run/noitd/noitd.conf
fi
cat <<INFO

  noitd  (config: run/noitd/noitd.conf, first copied from conf/noitd.conf)
    REST API                  http://127.0.0.1:43191/checks/show
    Prometheus metrics        http://127.0.0.1:43191/metrics
    console                   telnet 127.0.0.1 32322
    journal                   run/noitd/journal
  Ctrl-C to stop.

INFO
exec "$bin" --config run/noitd/noitd.conf --foreground
