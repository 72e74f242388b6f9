#!/usr/bin/env bash
# `make test`: builds everything, starts a private PostgreSQL (non-root, 127.0.0.1:54329,
# socket and data under /tmp/noit-test-pg), runs every test, and stops PostgreSQL again.
set -euo pipefail
cd "$(dirname "$0")/.."
PGDIR=${NOIT_TEST_PG_DIR:-/tmp/noit-test-pg}
PGPORT=${NOIT_TEST_PG_PORT:-54329}

swift build --build-tests
line=$(scripts/test-postgres.sh start "$PGDIR" "$PGPORT")
export "${line?}"
trap 'scripts/test-postgres.sh stop "$PGDIR" >/dev/null 2>&1 || true' EXIT
swift test --skip-build "$@"
