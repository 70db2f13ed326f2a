#!/usr/bin/env bash
# Single versus bulk submission rate on this machine, against the real suite on an embedded
# PostgreSQL with durable commits (fsync and synchronous_commit on).
#   tests/bench/intake_rate.sh [BUILD_DIR]      prints one JSON line per scenario
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build}
export DOLEANCES_BUILD_DIR=$BUILD DOLEANCES_SKIP_BUILD=1
export DOLEANCES_RUN_DIR=$(mktemp -d /tmp/doleances-bench.XXXXXX)
chmod 755 "$DOLEANCES_RUN_DIR"
unset DOLEANCES_DATABASE_URL
export DOLEANCES_GRPC_PORT_BASE=$((33000 + RANDOM % 1000 * 4))
export DOLEANCES_METRICS_PORT_BASE=$((DOLEANCES_GRPC_PORT_BASE + 10000))
trap '"$ROOT/deploy/local/down.sh" --purge >/dev/null' EXIT
"$ROOT/deploy/local/up.sh" >"$DOLEANCES_RUN_DIR.log" 2>&1 || { cat "$DOLEANCES_RUN_DIR.log"; exit 1; }
db="host=127.0.0.1 port=$(cat "$DOLEANCES_RUN_DIR/postgres/port") user=postgres dbname=doleances"
administration=6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b
"$BUILD/tools/doleancesctl/doleancesctl" admin principal bench-portal --roles=submitter \
  --administrations=$administration --database-url="$db" >/dev/null
key=$("$BUILD/tools/doleancesctl/doleancesctl" admin issue-key bench-portal --database-url="$db")
load=("$BUILD/tests/bench/intake_load" --intake=127.0.0.1:$DOLEANCES_GRPC_PORT_BASE
  --api-key="$key" --administration=$administration)
"${load[@]}" --mode=single --complaints=200 --concurrency=4 >/dev/null  # Warm-up.
"${load[@]}" --mode=single --complaints=${SINGLE:-3000} --concurrency=${CONCURRENCY:-8}
"${load[@]}" --mode=bulk --complaints=${BULK:-20000} --concurrency=2 --batch=100
rm -f "$DOLEANCES_RUN_DIR.log"
