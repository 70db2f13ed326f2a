#!/usr/bin/env bash
# The benchmarks of issue 7, in one command: starts the suite on an embedded PostgreSQL with
# durable commits, measures every figure next to its baselines taken in the same run (F0 flush
# floor, G0 no-op gRPC, P1/P3 pgbench, K0 naive KPI SQL), writes the results as JSON and
# regenerates docs/benchmarks.md from them. Stops everything it started, whatever happens.
#   tests/bench/run.sh [--quick] [BUILD_DIR]     (BUILD_DIR: else $DOLEANCES_BUILD_DIR, else ./build)
# --quick: shorter windows, fewer concurrencies, GetKpis over 50k complaints (< 3 min on 2
# cores); the full run takes < 15 min, GetKpis over 10M complaints included. The services and
# doleancesctl must be built already; the bench tools are built here if needed.
# Environment: BENCH_RESULTS (default tests/bench/results/latest.json), BENCH_DOC (default
# docs/benchmarks.md), BENCH_KPI_10M=0 to run GetKpis over 1M complaints instead of 10M in a full
# run (~1.5 min instead of 5-6).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/bench
QUICK=0
BUILD=${DOLEANCES_BUILD_DIR:-$ROOT/build}
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    *) BUILD=$arg ;;
  esac
done
BUILD=$(realpath "$BUILD")
RESULTS=${BENCH_RESULTS:-$HERE/results/latest.json}
DOC=${BENCH_DOC:-$ROOT/docs/benchmarks.md}
STARTED=$(date +%s)

if [ $QUICK -eq 1 ]; then
  WARMUP=1 DURATION=4 CONCURRENCIES=(8 64) G0_CONCURRENCIES=(64) KPI_SIZES=(50000) KPI_CALLS=60
  BULK_DURATION=3 DRAIN_LIMIT=20
else
  WARMUP=2 DURATION=10 CONCURRENCIES=(1 8 64) G0_CONCURRENCIES=(1 64) KPI_SIZES=(10000000)
  KPI_CALLS=200 BULK_DURATION=8 DRAIN_LIMIT=60
  if [ "${BENCH_KPI_10M:-1}" = 0 ]; then KPI_SIZES=(1000000); fi
fi
BUDGET_S=$((QUICK ? 180 : 900))

log() { echo "[bench $(($(date +%s) - STARTED))s] $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

for binary in services/intake/doleances-intake services/workflow/doleances-workflow \
  services/mediation/doleances-mediation services/analytics/doleances-analytics \
  tools/doleancesctl/doleancesctl; do
  [ -x "$BUILD/$binary" ] || die "$BUILD/$binary is missing: build the suite first"
done
log "building the bench tools"
cmake --build "$BUILD" -j2 --target bench_load bench_noop_server analytics_kpi_bench >/dev/null
LOAD=$BUILD/tests/bench/bench_load
CTL=$BUILD/tools/doleancesctl/doleancesctl

# The run folder holds the cluster: under the worktree, so that F0 and PostgreSQL's WAL use the
# disk the project lives on (/tmp may be a tmpfs, where a flush costs nothing).
mkdir -p "$ROOT/.local"
RUN=$(mktemp -d "$ROOT/.local/bench.XXXXXX")
chmod 755 "$RUN"
PARTS=$RUN/parts
mkdir -p "$PARTS" "$RUN/pgbench"
export DOLEANCES_RUN_DIR=$RUN DOLEANCES_BUILD_DIR=$BUILD DOLEANCES_SKIP_BUILD=1
export DOLEANCES_SKIP_PROMETHEUS=1  # Its scrapes would take CPU from what we measure.
unset DOLEANCES_DATABASE_URL
# Ten ports in 20000-25999: four services' gRPC and metrics, then the no-op server's.
PORT_BASE=$((20000 + RANDOM % 600 * 10))
export DOLEANCES_GRPC_PORT_BASE=$PORT_BASE DOLEANCES_METRICS_PORT_BASE=$((PORT_BASE + 4))
NOOP_PORT=$((PORT_BASE + 8))
# Durable commits (fsync, synchronous_commit at their defaults, whatever the caller exported);
# commit timestamps let the end-to-end figure end when the routing transaction committed.
export DOLEANCES_PG_EXTRA_OPTIONS="-c track_commit_timestamp=on"

NOOP_PID=
cleanup() {
  set +e
  [ -z "$NOOP_PID" ] || kill "$NOOP_PID" 2>/dev/null
  [ -z "${F0_PID:-}" ] || kill "$F0_PID" 2>/dev/null
  "$ROOT/deploy/local/down.sh" --purge >/dev/null 2>&1
  rm -f "$RUN.up.log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "starting the suite (run folder $RUN)"
"$ROOT/deploy/local/up.sh" >"$RUN.up.log" 2>&1 || { cat "$RUN.up.log" >&2; die "up.sh"; }
DB="host=127.0.0.1 port=$(cat "$RUN/postgres/port") user=postgres dbname=doleances"
export PGOPTIONS="-c client_min_messages=warning"
mapfile -t SERVICE_PIDS <"$RUN/pids"
SERVICES=(intake workflow mediation analytics)
POSTMASTER=$(head -1 "$RUN/postgres/data/postmaster.pid")
sql() { psql "$DB" -qtAX -v ON_ERROR_STOP=1 "$@"; }

# --- The organisation complaints are routed in: departments, queues, a default queue, and rules
# on category, keywords and kind, so that routing does the work it does in production (keyword
# rules make workflow read each complaint's text from intake).
ADMINISTRATION=6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b
sql >/dev/null <<SQL
INSERT INTO workflow.departments (department_id, administration_id, name) VALUES
  ('11111111-1111-4111-8111-111111111111', '$ADMINISTRATION', 'Voirie et propreté'),
  ('11111111-1111-4111-8111-111111111112', '$ADMINISTRATION', 'Urbanisme');
INSERT INTO workflow.queues (queue_id, administration_id, department_id, name) VALUES
  ('33333333-3333-4333-8333-333333333331', '$ADMINISTRATION', '11111111-1111-4111-8111-111111111111', 'Accueil'),
  ('33333333-3333-4333-8333-333333333332', '$ADMINISTRATION', '11111111-1111-4111-8111-111111111111', 'Chaussée'),
  ('33333333-3333-4333-8333-333333333333', '$ADMINISTRATION', '11111111-1111-4111-8111-111111111111', 'Propreté'),
  ('33333333-3333-4333-8333-333333333334', '$ADMINISTRATION', '11111111-1111-4111-8111-111111111112', 'Recours');
INSERT INTO workflow.default_queues (administration_id, queue_id) VALUES
  ('$ADMINISTRATION', '33333333-3333-4333-8333-333333333331');
SQL
mapfile -t CTL_ADDRESSES <"$RUN/ctl.args"
rule() {
  echo "$1" >"$RUN/rule.json"
  DOLEANCES_API_KEY=$(cat "$RUN/admin.key") "$CTL" "${CTL_ADDRESSES[@]}" rules create \
    --file="$RUN/rule.json" >/dev/null || die "cannot create routing rule $1"
}
rule '{"administrationId": "'$ADMINISTRATION'", "name": "Recours urbanisme", "precedence": 10,
  "kinds": ["COMPLAINT_KIND_RECOURS_GRACIEUX", "COMPLAINT_KIND_RECOURS_HIERARCHIQUE"],
  "categories": ["urbanisme"], "targetQueueId": "33333333-3333-4333-8333-333333333334", "enabled": true}'
rule '{"administrationId": "'$ADMINISTRATION'", "name": "Chaussée", "precedence": 20,
  "categories": ["voirie"], "targetQueueId": "33333333-3333-4333-8333-333333333332", "enabled": true}'
rule '{"administrationId": "'$ADMINISTRATION'", "name": "Dépôts", "precedence": 30,
  "keywords": ["dépôt sauvage", "encombrants", "nid de poule"],
  "targetQueueId": "33333333-3333-4333-8333-333333333333", "enabled": true}'
"$CTL" admin principal bench-portal --roles=submitter --administrations=$ADMINISTRATION \
  --database-url="$DB" >/dev/null
KEY=$("$CTL" admin issue-key bench-portal --database-url="$DB")

# --- Helpers
# Resident memory of each service now, as {"intake": {"rss_kib": .., "peak_kib": ..}, ...}.
memory_json() {
  local i first=1
  printf '{'
  for i in "${!SERVICES[@]}"; do
    [ $first -eq 1 ] || printf ','
    first=0
    awk -v name="${SERVICES[$i]}" '/^VmRSS/ {rss = $2} /^VmHWM/ {hwm = $2}
      END {printf "\"%s\":{\"rss_kib\":%d,\"peak_kib\":%d}", name, rss, hwm}' \
      "/proc/${SERVICE_PIDS[$i]}/status"
  done
  printf '}\n'
}
# CPU seconds (user + system) a process has used so far; fields counted after the name's ')'.
cpu_seconds() {
  awk -v tick="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); printf "%.2f\n", ($12 + $13) / tick}' \
    "/proc/$1/stat"
}
watch_args() {
  local i
  for i in "${!SERVICES[@]}"; do echo "--watch=${SERVICES[$i]}:${SERVICE_PIDS[$i]}"; done
  # Every backend at the window's start; pgbench's come and go, the services' pools stay.
  echo "--watch=postgres:$(ps --ppid "$POSTMASTER" -o pid= | tr -d ' ' | paste -sd, -)"
}
# bench_load against intake with this run's key and administration; one JSON line to $1.
intake_load() {
  local name=$1
  shift
  mapfile -t watch < <(watch_args)
  "$LOAD" --address=127.0.0.1:$PORT_BASE --api-key="$KEY" --administration=$ADMINISTRATION \
    --warmup=$WARMUP --duration=$DURATION "${watch[@]}" "$@" >"$PARTS/$name.json" ||
    log "warning: $name had failed calls (see above)"
}
# pgbench with a script of tests/bench/pgbench, measured like bench_load; JSON to $1.
pgbench_run() {
  local name=$1 script=$2 clients=$3 dir=$RUN/pgbench/$1
  shift 3
  mkdir -p "$dir"
  local start
  start=$(date +%s.%N)
  pgbench -n -M prepared -c "$clients" -j $((clients < 2 ? 1 : 2)) -T $((WARMUP + DURATION)) \
    -l --log-prefix="$dir/log" -f "$HERE/pgbench/$script" "${PGBENCH_VARS[@]}" "$@" "$DB" \
    >"$dir/out" 2>&1 || { cat "$dir/out" >&2; die "pgbench $name"; }
  python3 "$HERE/pgbench/pgbench_stats.py" --start="$start" --warmup=$WARMUP \
    --duration=$DURATION "$dir"/log.* | python3 -c '
import json, sys
result = json.load(sys.stdin)
result.update(clients=int(sys.argv[1]), rate=float(sys.argv[2]))
print(json.dumps(result))' "$clients" "${RATE:-0}" >"$PARTS/$name.json"
}
backlog() {
  sql -c "SELECT count(*) FILTER (WHERE event_type = 'ComplaintReceived')
            - count(*) FILTER (WHERE event_type = 'ComplaintRouted') FROM events.event_log"
}
# Partitions with events still to apply, for consumer group $1 (or, with "!", every other group).
lagging_partitions() {
  local op='=' group=$1
  [ "${group:0:1}" = '!' ] && op='<>' group=${group:1}
  sql -c "SELECT count(*) FROM events.consumer_positions p WHERE p.consumer_group $op '$group'
            AND EXISTS (SELECT 1 FROM events.event_log e WHERE e.partition = p.partition
            AND (e.tx_id, e.id) > (p.last_tx_id, p.last_event_id))"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# Waits until workflow has routed every complaint received and intake's consumer has mirrored
# what workflow did, so that a scenario does not pay for the previous one's backlog (at most
# $1 s). Analytics is not waited for unless $2 is "!" (every group): it falls far behind under
# the closed loops, and waiting for it after each would not fit the time budget; its lag is
# recorded instead. Prints the seconds waited.
wait_for_quiet() {
  local start groups=${2:-'!analytics'}
  start=$(now_ms)
  until [ "$(backlog)" -le 0 ] && [ "$(lagging_partitions "$groups")" -eq 0 ]; do
    if [ $(($(now_ms) - start)) -gt $(($1 * 1000)) ]; then
      log "still $(backlog) complaints to route after ${1}s; going on"
      break
    fi
    sleep 0.2
  done
  awk -v ms=$(($(now_ms) - start)) 'BEGIN {printf "%.2f\n", ms / 1000}'
}
# Events each consumer group has yet to apply, as JSON.
consumer_lag_json() {
  sql -c "SELECT json_object_agg(consumer_group, behind) FROM (SELECT p.consumer_group,
            count(e.id) AS behind FROM events.consumer_positions p LEFT JOIN events.event_log e
            ON e.partition = p.partition AND (e.tx_id, e.id) > (p.last_tx_id, p.last_event_id)
            GROUP BY p.consumer_group) lag"
}

# --- The machine, the cluster's settings, the commit.
memory_json >"$PARTS/rss__idle.json"
python3 - "$RUN/postgres/data" >"$PARTS/machine.json" <<'PY'
import json, os, platform, subprocess, sys
def run(*command):
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
              if line.startswith("model name")), platform.processor())
memory_kib = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
device, filesystem = (run("df", "--output=source,fstype", sys.argv[1]).splitlines()[-1].split() + ["", ""])[:2]
disk = run("lsblk", "-dno", "MODEL,ROTA,SIZE", device).split()
print(json.dumps({
    "cores": os.cpu_count(), "cpu_model": model, "memory_gib": round(memory_kib / 2**20, 1),
    "kernel": platform.release(), "disk_device": device, "filesystem": filesystem,
    "disk_rotational": disk[-2] == "1" if len(disk) >= 2 else None,
    "disk_size": disk[-1] if disk else "", "disk_model": " ".join(disk[:-2]),
}))
PY
sql -c "SELECT json_build_object('version', current_setting('server_version'), 'settings',
  (SELECT json_object_agg(name, setting || coalesce(unit, '')) FROM pg_settings WHERE name IN
   ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'commit_delay',
    'shared_buffers', 'max_connections', 'track_commit_timestamp', 'wal_level')))" \
  >"$PARTS/postgres.json"
[ "$(sql -c 'SHOW fsync')" = on ] && [ "$(sql -c 'SHOW synchronous_commit')" = on ] ||
  die "the cluster does not commit durably"
dirty=false
[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ] && dirty=true
printf '{"mode":"%s","commit":"%s","dirty":%s,"started_at":"%s","warmup_s":%s,"duration_s":%s}\n' \
  "$([ $QUICK -eq 1 ] && echo quick || echo full)" "$(git -C "$ROOT" rev-parse HEAD)" $dirty \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" $WARMUP $DURATION >"$PARTS/run.json"

# --- Warm-up: connections, caches, the first WAL segments; its rows also give pgbench the sizes
# of real bodies, hashes and events.
log "warm-up"
"$LOAD" --target=intake-single --address=127.0.0.1:$PORT_BASE --api-key="$KEY" \
  --administration=$ADMINISTRATION --concurrency=8 --warmup=0 --duration=2 >/dev/null ||
  die "intake does not take submissions"
wait_for_quiet 30 >/dev/null
read -r HASH BODY < <(sql -F' ' -c "SELECT encode(request_hash, 'hex'), encode(body, 'hex')
  FROM intake.complaints ORDER BY abs(length(body) - (SELECT avg(length(body)) FROM intake.complaints))
  LIMIT 1")
PAYLOAD=$(sql -c "SELECT encode(payload, 'hex') FROM events.event_log
  WHERE event_type = 'ComplaintReceived' ORDER BY abs(length(payload) - (SELECT avg(length(payload))
  FROM events.event_log WHERE event_type = 'ComplaintReceived')) LIMIT 1")
PGBENCH_VARS=(-D submitter=bench-portal -D administration=$ADMINISTRATION -D "hash=\\x$HASH"
  -D "body=\\x$BODY" -D "payload=\\x$PAYLOAD" -D "us=$(date +%s%6N)")
sql -f "$HERE/pgbench/schema.sql" >/dev/null

# --- F0: the flush floor, fdatasync of one 8 kB write, on the cluster's file system. Stopped
# once that line is out rather than running pg_test_fsync's other tests (half a minute).
log "F0 pg_test_fsync"
stdbuf -oL /usr/lib/postgresql/15/bin/pg_test_fsync -s 2 -f "$RUN/fsync.test" >"$RUN/f0.out" 2>&1 &
F0_PID=$!
for _ in $(seq 1 150); do grep -q '^ *fdatasync .*usecs/op' "$RUN/f0.out" && break; sleep 0.1; done
kill "$F0_PID" 2>/dev/null || true
wait "$F0_PID" 2>/dev/null || true
rm -f "$RUN/fsync.test"
awk '/^ *fdatasync .*usecs\/op/ {printf "{\"fdatasync_ops_per_s\":%s,\"fdatasync_us_per_op\":%s}\n", $2, $4}' \
  "$RUN/f0.out" >"$PARTS/f0.json"
[ -s "$PARTS/f0.json" ] || die "pg_test_fsync gave no fdatasync figure: $(cat "$RUN/f0.out")"

# --- G0: the no-op gRPC server, same host code, same server API as SubmitComplaint (callback),
# same client, same request size.
"$BUILD/tests/bench/bench_noop_server" --callback --grpc-address=127.0.0.1:$NOOP_PORT \
  --metrics-address=127.0.0.1:$((NOOP_PORT + 1)) >"$RUN/noop.out" 2>"$RUN/logs/noop.log" &
NOOP_PID=$!
for _ in $(seq 1 100); do grep -q '^port=' "$RUN/noop.out" && break; sleep 0.1; done
grep -q '^port=' "$RUN/noop.out" || die "the no-op server did not start"
for c in "${G0_CONCURRENCIES[@]}"; do
  log "G0 no-op gRPC, $c clients"
  "$LOAD" --target=noop --address=127.0.0.1:$NOOP_PORT --concurrency="$c" --warmup=$WARMUP \
    --duration=$DURATION --watch=noop:$NOOP_PID >"$PARTS/g0__c$c.json"
done
kill "$NOOP_PID" 2>/dev/null || true
wait "$NOOP_PID" 2>/dev/null || true
NOOP_PID=

# --- No coalescing: intake restarted with one submission per transaction (a batch of at most
# one) and as many committers as pgbench has connections, then restarted as configured.
# Restarts intake with the command line and environment up.sh started it with, plus the
# assignments in "$@".
mapfile -d '' INTAKE_ENVIRONMENT <"/proc/${SERVICE_PIDS[0]}/environ"
mapfile -d '' INTAKE_COMMAND <"/proc/${SERVICE_PIDS[0]}/cmdline"
restart_intake() {
  local pid=${SERVICE_PIDS[0]}
  kill -TERM "$pid"
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  env -i "${INTAKE_ENVIRONMENT[@]}" "$@" setsid "${INTAKE_COMMAND[@]}" >>"$RUN/logs/intake.log" \
    2>&1 </dev/null &
  SERVICE_PIDS[0]=$!
  printf '%s\n' "${SERVICE_PIDS[@]}" >"$RUN/pids"  # down.sh stops what this file lists.
  "$CTL" health "${CTL_ADDRESSES[@]}" --wait-seconds=30 >/dev/null || die "intake did not restart"
}
NO_COALESCING_CLIENTS=8
log "intake SubmitComplaint without coalescing, $NO_COALESCING_CLIENTS clients"
restart_intake DOLEANCES_INTAKE_GROUP_COMMIT_MAX_BATCH=1 \
  DOLEANCES_INTAKE_GROUP_COMMITTERS=$NO_COALESCING_CLIENTS \
  DOLEANCES_DB_POOL_SIZE=$((NO_COALESCING_CLIENTS + 2))
intake_load "intake_uncoalesced__c$NO_COALESCING_CLIENTS" --target=intake-single \
  --concurrency=$NO_COALESCING_CLIENTS
wait_for_quiet $DRAIN_LIMIT >/dev/null
restart_intake

# --- Single submissions, closed loop, beside P1 and P3 at the same concurrency.
for c in "${CONCURRENCIES[@]}"; do
  log "P1, P3 and intake SubmitComplaint, $c clients"
  pgbench_run "p1__c$c" p1_row.sql "$c"
  pgbench_run "p3__c$c" p3_submit.sql "$c"
  intake_load "intake_single__c$c" --target=intake-single --concurrency="$c"
  wait_for_quiet $DRAIN_LIMIT >/dev/null
done
memory_json >"$PARTS/rss__after_closed_loop.json"
sql -c "SELECT json_object_agg(usename, connections) FROM (SELECT usename, count(*) AS connections
  FROM pg_stat_activity WHERE usename LIKE 'doleances_%' GROUP BY usename) c" \
  >"$PARTS/service_connections.json"

# Open loop at rate $3 through intake (bench_load's JSON to part $1), then, for every complaint
# sent, from its intended send time to the commit (pg_xact_commit_timestamp) of the workflow
# transaction that recorded ComplaintRouted and armed its clocks (part $2).
end_to_end() {
  local load_part=$1 part=$2 rate=$3 cpu_before cpu_after drain_s
  cpu_before=$(cpu_seconds "${SERVICE_PIDS[1]}")
  intake_load "$load_part" --target=intake-single --rate="$rate" --ids-out="$RUN/sends.csv"
  drain_s=$(wait_for_quiet $DRAIN_LIMIT)
  cpu_after=$(cpu_seconds "${SERVICE_PIDS[1]}")
  sql >"$PARTS/$part.json" <<SQL
CREATE TEMP TABLE sends (complaint_id text PRIMARY KEY, intended_us bigint);
\copy sends FROM '$RUN/sends.csv' WITH (FORMAT csv)
SELECT json_build_object('rate', $rate, 'submitted', (SELECT count(*) FROM sends),
  'routed', count(ms), 'drain_after_window_s', round($drain_s, 2),
  'workflow_cpu_us_per_complaint',
    round(($cpu_after - $cpu_before) * 1e6 / greatest(count(ms), 1)),
  'latency_ms', json_build_object(
    'p50', round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2),
    'p90', round(percentile_cont(0.9) WITHIN GROUP (ORDER BY ms)::numeric, 2),
    'p99', round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 2),
    'max', round(max(ms)::numeric, 2)))
FROM (SELECT (extract(epoch FROM pg_xact_commit_timestamp(e.xmin)) * 1e6 - s.intended_us) / 1000.0 AS ms
      FROM sends s JOIN events.event_log e
        ON e.aggregate_id = s.complaint_id AND e.event_type = 'ComplaintRouted') routed;
SQL
}

# --- Open loop at half the best closed-loop rate: intake with the end-to-end figure, then P3 at
# the same arrival rate.
MAX_RATE=$(python3 -c '
import json, sys
print(max(json.load(open(p)).get("items_per_s", 0) for p in sys.argv[1:]))' "$PARTS"/intake_single__c*.json)
OPEN_RATE=$(python3 -c "print(max(1, round($MAX_RATE / 2)))")
log "open loop at $OPEN_RATE/s (half of $MAX_RATE/s)"
end_to_end intake_open e2e "$OPEN_RATE"
log "P3 at $OPEN_RATE/s"
RATE=$OPEN_RATE pgbench_run p3_rate p3_submit.sql 64 -R "$OPEN_RATE"

# --- Bulk submissions: batches of 100 from two clients; then how fast workflow drains them.
log "intake SubmitComplaints (bulk)"
intake_load intake_bulk --target=intake-bulk --concurrency=2 --batch=100 --duration=$BULK_DURATION
received=$(backlog)
drain_s=$(wait_for_quiet $DRAIN_LIMIT)
printf '{"backlog":%s,"seconds":%s,"left":%s}\n' "$received" "$drain_s" "$(backlog)" \
  >"$PARTS/routing_drain.json"

# --- End to end again, at half the rate workflow just routed at with intake idle: half of what
# the whole pipeline sustains, where half of intake's own best rate (above) outruns routing.
# From a quiet suite: analytics, too, has caught up with the earlier scenarios.
ROUTING_RATE=$(python3 -c "print(max(1, round(($received - $(backlog)) / max($drain_s, 0.01) / 2)))")
printf '{"seconds":%s}\n' "$(wait_for_quiet $DRAIN_LIMIT '!')" >"$PARTS/analytics_catch_up.json"
log "open loop at $ROUTING_RATE/s (half of the routing rate)"
end_to_end intake_open_sustained e2e_sustained "$ROUTING_RATE"
memory_json >"$PARTS/rss__end.json"
consumer_lag_json >"$PARTS/consumer_lag_at_end.json"

# The KPI bench runs its own analytics service in process: stop the suite's services so that
# their leftover event backlog does not compete with it (PostgreSQL stays up).
# A graceful stop may wait for a consumer batch; the measures are taken, so 5 s is enough.
for pid in "${SERVICE_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
for _ in $(seq 1 50); do
  alive=0
  for pid in "${SERVICE_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ $alive -eq 0 ] && break
  sleep 0.1
done
for pid in "${SERVICE_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done

# --- GetKpis against K0, in a database of its own (the bench replaces analytics' tables).
psql "host=127.0.0.1 port=$(cat "$RUN/postgres/port") user=postgres dbname=postgres" -qc \
  "CREATE DATABASE kpi_bench" >/dev/null
KPI_DB="host=127.0.0.1 port=$(cat "$RUN/postgres/port") user=postgres dbname=kpi_bench"
kpi_run() {
  log "GetKpis and K0 over $1 complaints"
  local out=$PARTS/kpi__$1.json
  "$BUILD/tests/bench/analytics_kpi_bench" --database="$KPI_DB" --complaints="$1" \
    --calls=$KPI_CALLS 2>"$RUN/kpi_$1.log" | tail -1 >"$out" || true
  python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$out" 2>/dev/null ||
    { tail -5 "$RUN/kpi_$1.log" >&2; echo '{"error":"analytics_kpi_bench failed"}' >"$out"; }
}
# GetKpis over 10M complaints takes 5-6 min on 2 idle cores (load ~3.5 min, then 200 calls of
# K0 at up to 3 s each): with less left of the budget, it runs over 1M instead and says so.
KPI_10M_S=360
for size in "${KPI_SIZES[@]}"; do
  left=$((BUDGET_S - ($(date +%s) - STARTED)))
  if [ "$size" = 10000000 ] && [ $left -lt $KPI_10M_S ]; then
    log "GetKpis over 1M complaints instead of 10M: ${left}s left of the ${BUDGET_S}s budget"
    printf '{"skipped":"%ss left of the %ss budget, 10M needs ~%ss"}\n' "$left" "$BUDGET_S" \
      "$KPI_10M_S" >"$PARTS/kpi__10000000.json"
    size=1000000
  fi
  kpi_run "$size"
done

# --- Results and the page.
printf '{"elapsed_s":%d}\n' $(($(date +%s) - STARTED)) >"$PARTS/elapsed.json"
mkdir -p "$(dirname "$RESULTS")"
python3 "$HERE/benchmarks_report.py" assemble "$PARTS" >"$RESULTS"
python3 "$HERE/benchmarks_report.py" render "$RESULTS" >"$DOC"
log "done: $RESULTS and $DOC"
