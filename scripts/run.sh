#!/usr/bin/env bash
# `make run`: builds noitd (release) and runs it on this machine with conf/noitd.conf.
# Ctrl-C stops it cleanly: in-flight checks finish, the journal is flushed.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product noitd
bin="$(swift build -c release --show-bin-path)/noitd"
mkdir -p run/noitd
cat <<INFO

  noitd  (config: conf/noitd.conf)
    HTTP, Prometheus metrics  http://127.0.0.1:43191/metrics
    console (telnet)          127.0.0.1:32322  (arrives with the console release)
    journal                   run/noitd/journal
  Ctrl-C to stop.

INFO
exec "$bin" --config conf/noitd.conf --foreground
