#!/usr/bin/env bash
# A private PostgreSQL cluster for the test suite.
#
#   scripts/test-postgres.sh start DIR PORT   create the cluster in DIR if missing, start it on
#                                             127.0.0.1:PORT (and a Unix socket in DIR), create the
#                                             database noit_test, and print
#                                             NOIT_TEST_POSTGRES=postgres://noit@127.0.0.1:PORT/noit_test
#   scripts/test-postgres.sh stop DIR         stop it (fast shutdown)
#
# Both are idempotent. PostgreSQL refuses to run as root, so as root the cluster belongs to the
# `postgres` OS user and is driven through runuser; as anyone else, DIR must be the caller's own.
#
# The superuser `noit` logs in without a password; every other role must present one
# (scram-sha-256), so tests can exercise real password authentication. The server speaks TLS with
# a self-signed certificate, so tests can exercise sslmode=require. Only the standard output line
# above goes to stdout; progress and errors go to stderr.
set -euo pipefail

readonly SUPERUSER=noit
readonly DATABASE=noit_test

die() {
    echo "test-postgres: $*" >&2
    exit 1
}

usage() {
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
}

# The newest server's bin directory: Debian keeps one per major version under /usr/lib/postgresql.
find_bindir() {
    local dir newest
    # sort -V: the glob alone would put 10 before 9.
    newest=$(for dir in /usr/lib/postgresql/*/bin; do if [ -x "$dir/initdb" ]; then echo "$dir"; fi; done | sort -V | tail -n 1)
    if [ -n "$newest" ]; then
        echo "$newest"
        return
    fi
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir)
        if [ -x "$dir/initdb" ]; then
            echo "$dir"
            return
        fi
    fi
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return
    fi
    die "no PostgreSQL server found (no initdb under /usr/lib/postgresql/*/bin, pg_config --bindir or PATH): install it with 'apt-get install -y postgresql'"
}

# Runs a command as the cluster's owner.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

absolute() {
    case "$1" in
        /*) echo "$1" ;;
        *) echo "$PWD/$1" ;;
    esac
}

prepare_dir() {
    local dir=$1
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "there is no 'postgres' OS user to own the cluster: install PostgreSQL with 'apt-get install -y postgresql'"
        command -v runuser >/dev/null 2>&1 || die "runuser is missing (package util-linux)"
        install -d -o postgres -g postgres -m 0755 "$dir" || die "cannot create $dir for the postgres user"
    else
        mkdir -p "$dir" || die "cannot create $dir"
        [ -O "$dir" ] || die "$dir belongs to someone else; as a non-root user the cluster directory must be your own"
    fi
}

init_cluster() {
    local bindir=$1 dir=$2 data=$2/data
    [ -f "$data/PG_VERSION" ] && return
    echo "test-postgres: creating a cluster in $data" >&2
    command -v openssl >/dev/null 2>&1 || die "openssl is missing (needed for the cluster's TLS certificate): apt-get install -y openssl"
    as_owner "$bindir/initdb" -D "$data" -A trust -U "$SUPERUSER" --no-sync >&2 \
        || die "initdb failed in $data"
    as_owner tee "$data/pg_hba.conf" >/dev/null <<EOF
# Written by scripts/test-postgres.sh: the superuser needs no password, every other role does.
local   all   $SUPERUSER                trust
host    all   $SUPERUSER   127.0.0.1/32 trust
host    all   $SUPERUSER   ::1/128      trust
local   all   all                       scram-sha-256
host    all   all          127.0.0.1/32 scram-sha-256
host    all   all          ::1/128      scram-sha-256
EOF
    as_owner openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=localhost \
        -keyout "$data/server.key" -out "$data/server.crt" 2>/dev/null \
        || die "openssl could not make the cluster's TLS certificate"
    as_owner chmod 0600 "$data/server.key"
    as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF

# Written by scripts/test-postgres.sh: tests expect timestamps printed in UTC.
timezone = 'UTC'
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
EOF
}

running_port() {
    local data=$1
    if [ -f "$data/postmaster.pid" ]; then sed -n 4p "$data/postmaster.pid"; fi
}

start() {
    local dir port bindir data
    dir=$(absolute "$1")
    port=$2
    case "$port" in
        '' | *[!0-9]*) die "PORT must be a number, not '$port'" ;;
    esac
    bindir=$(find_bindir)
    data=$dir/data
    prepare_dir "$dir"
    init_cluster "$bindir" "$dir"

    if as_owner "$bindir/pg_ctl" status -D "$data" >/dev/null 2>&1; then
        local current
        current=$(running_port "$data")
        [ "$current" = "$port" ] || die "the cluster in $data is already running on port $current, not $port: stop it first with '$0 stop $1'"
        echo "test-postgres: already running on port $port" >&2
    else
        echo "test-postgres: starting on 127.0.0.1:$port" >&2
        # max_connections: the whole suite runs at once, and each stratcond it starts holds
        # several connections (feed, rollups, alerting pool, API); 100 ran out once.
        as_owner "$bindir/pg_ctl" start -w -D "$data" -l "$dir/postgres.log" \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400" >&2 \
            || die "the server did not start; its log is $dir/postgres.log:
$(tail -n 20 "$dir/postgres.log" 2>/dev/null)"
    fi

    local psql=("$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -d postgres)
    local exists
    exists=$(PGSSLMODE=disable "${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'") \
        || die "cannot connect to the server on 127.0.0.1:$port as $SUPERUSER"
    if [ "$exists" != 1 ]; then
        PGSSLMODE=disable "${psql[@]}" -c "CREATE DATABASE $DATABASE" >&2 || die "cannot create database $DATABASE"
    fi
    echo "NOIT_TEST_POSTGRES=postgres://$SUPERUSER@127.0.0.1:$port/$DATABASE"
}

stop() {
    local dir bindir data
    dir=$(absolute "$1")
    data=$dir/data
    [ -f "$data/PG_VERSION" ] || die "there is no cluster in $data"
    bindir=$(find_bindir)
    if ! as_owner "$bindir/pg_ctl" status -D "$data" >/dev/null 2>&1; then
        echo "test-postgres: not running" >&2
        return
    fi
    as_owner "$bindir/pg_ctl" stop -w -D "$data" -m fast >&2 || die "the server in $data did not stop"
}

case "${1:-}" in
    start)
        [ $# -eq 3 ] || usage
        start "$2" "$3"
        ;;
    stop)
        [ $# -eq 2 ] || usage
        stop "$2"
        ;;
    *) usage ;;
esac
