#!/usr/bin/env bash
# Single versus bulk submission rate on this machine, against the real suite on an embedded
# PostgreSQL with durable commits (fsync and synchronous_commit on), and how long workflow took to
# route what was submitted (ComplaintReceived committed → ComplaintRouted committed).
#   tests/bench/intake_rate.sh [BUILD_DIR]      prints one JSON line per scenario
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build}
export DOLEANCES_BUILD_DIR=$BUILD DOLEANCES_SKIP_BUILD=1
export DOLEANCES_SKIP_PROMETHEUS=1  # Its scrapes and rule evaluations would take CPU from the measure.
export DOLEANCES_RUN_DIR=$(mktemp -d /tmp/doleances-bench.XXXXXX)
chmod 755 "$DOLEANCES_RUN_DIR"
unset DOLEANCES_DATABASE_URL
export DOLEANCES_GRPC_PORT_BASE=$((26000 + RANDOM % 750 * 8))
export DOLEANCES_METRICS_PORT_BASE=$((DOLEANCES_GRPC_PORT_BASE + 4))
trap '"$ROOT/deploy/local/down.sh" --purge >/dev/null' EXIT
"$ROOT/deploy/local/up.sh" >"$DOLEANCES_RUN_DIR.log" 2>&1 || { cat "$DOLEANCES_RUN_DIR.log"; exit 1; }
db="host=127.0.0.1 port=$(cat "$DOLEANCES_RUN_DIR/postgres/port") user=postgres dbname=doleances"
administration=6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b
"$BUILD/tools/doleancesctl/doleancesctl" admin principal bench-portal --roles=submitter \
  --administrations=$administration --database-url="$db" >/dev/null
key=$("$BUILD/tools/doleancesctl/doleancesctl" admin issue-key bench-portal --database-url="$db")
psql "$db" -qv ON_ERROR_STOP=1 >/dev/null <<SQL
INSERT INTO workflow.departments VALUES ('11111111-1111-4111-8111-111111111111', '$administration', 'Voirie');
INSERT INTO workflow.queues VALUES ('33333333-3333-4333-8333-333333333333', '$administration',
  '11111111-1111-4111-8111-111111111111', 'Accueil');
INSERT INTO workflow.default_queues VALUES ('$administration', '33333333-3333-4333-8333-333333333333');
SQL
load=("$BUILD/tests/bench/intake_load" --intake=127.0.0.1:$DOLEANCES_GRPC_PORT_BASE
  --api-key="$key" --administration=$administration)
"${load[@]}" --mode=single --complaints=200 --concurrency=4 >/dev/null  # Warm-up.
"${load[@]}" --mode=single --complaints=${SINGLE:-3000} --concurrency=${CONCURRENCY:-8}
"${load[@]}" --mode=bulk --complaints=${BULK:-20000} --concurrency=2 --batch=100
# Routing latency, from the commit times the event log records (clock_timestamp at append).
for _ in $(seq 1 600); do
  pending=$(psql "$db" -qtAc "SELECT count(*) FROM events.event_log r WHERE r.event_type =
    'ComplaintReceived' AND NOT EXISTS (SELECT 1 FROM events.event_log o WHERE o.event_type =
    'ComplaintRouted' AND o.aggregate_id = r.aggregate_id)")
  [ "$pending" = 0 ] && break
  sleep 0.1
done
psql "$db" -qtAc "SELECT json_build_object('scenario', 'routing_latency', 'complaints', count(*),
  'ms_p50', round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::numeric, 2),
  'ms_p99', round((percentile_cont(0.99) WITHIN GROUP (ORDER BY ms))::numeric, 2))
  FROM (SELECT extract(epoch FROM o.recorded_at - r.recorded_at) * 1000 AS ms
        FROM events.event_log r JOIN events.event_log o ON o.aggregate_id = r.aggregate_id
        WHERE r.event_type = 'ComplaintReceived' AND o.event_type = 'ComplaintRouted') latencies"
rm -f "$DOLEANCES_RUN_DIR.log"
