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

# swift-testing starts every test at once by default: hundreds of them, with their noitd,
# stratcond and PostgreSQL processes, on two cores starved some test tasks for 20 s. A bound
# keeps that start orderly without making the run longer (~115 s either way here).
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-32}

# The parallel run interleaves thousands of lines; a failure scrolls far out of sight of
# whoever reads only the end of a CI log, so the failed tests are repeated last.
mkdir -p test-output
log=test-output/swift-test.log
status=0
swift test --skip-build "$@" 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
    echo
    echo "=== failed tests (full log: $log) ==="
    grep -E '✘|recorded an issue|error:|Fatal error|Signal|crashed' "$log" | grep -v '^✘ Test run' | head -60 || true
fi
exit "$status"
