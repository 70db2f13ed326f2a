#!/usr/bin/env bash
# Runs the whole Doléances suite on this machine:
#   installs missing Debian packages, builds, starts a throwaway PostgreSQL 15 cluster under
#   .local/run/postgres unless DOLEANCES_DATABASE_URL names one, creates one role and schema per
#   service, starts the four services, waits until each reports SERVING, starts Prometheus (when
#   installed) with deploy/prometheus's rules, and prints how to call them. ./deploy/local/down.sh
#   stops everything it started.
# Environment (all optional):
#   DOLEANCES_DATABASE_URL     use this database instead of the embedded cluster
#   DOLEANCES_RUN_DIR          state folder (default .local/run)
#   DOLEANCES_GRPC_PORT_BASE   first gRPC port (default 50051: intake, +1 workflow, ...)
#   DOLEANCES_METRICS_PORT_BASE  first metrics port (default 9101)
#   DOLEANCES_SKIP_BUILD=1     use the binaries already in the build folder
#   DOLEANCES_PROMETHEUS_PORT  Prometheus' port (default 9090)
#   DOLEANCES_SKIP_PROMETHEUS=1  do not start Prometheus (benchmarks, tests that do not need it)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export PGOPTIONS="-c client_min_messages=warning"
RUN_DIR=$(realpath -m "${DOLEANCES_RUN_DIR:-$ROOT/.local/run}")
BUILD=${DOLEANCES_BUILD_DIR:-$ROOT/build}
GRPC_BASE=${DOLEANCES_GRPC_PORT_BASE:-50051}
METRICS_BASE=${DOLEANCES_METRICS_PORT_BASE:-9101}
PROMETHEUS_PORT=${DOLEANCES_PROMETHEUS_PORT:-9090}
PROMETHEUS=/usr/bin/prometheus
[ -z "${DOLEANCES_SKIP_PROMETHEUS:-}" ] && [ -x "$PROMETHEUS" ] || PROMETHEUS=
SERVICES=(intake workflow mediation analytics)
CTL=$BUILD/tools/doleancesctl/doleancesctl

if [ -s "$RUN_DIR/pids" ] && xargs -r kill -0 <"$RUN_DIR/pids" 2>/dev/null; then
  echo "The suite is already running (see $RUN_DIR/pids); ./deploy/local/down.sh stops it." >&2
  exit 1
fi

if [ -z "${DOLEANCES_SKIP_BUILD:-}" ]; then
  ./scripts/install_deps.sh
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD" -j"${DOLEANCES_JOBS:-2}" --target doleancesctl \
    doleances-intake doleances-workflow doleances-mediation doleances-analytics
fi
mkdir -p "$RUN_DIR/logs"
: >"$RUN_DIR/pids"

declare -A SERVICE_URL
if [ -z "${DOLEANCES_DATABASE_URL:-}" ]; then
  PGDIR=$RUN_DIR/postgres
  ADMIN_URL=$(./scripts/postgres.sh start "$PGDIR" "$(cat "$PGDIR/port" 2>/dev/null || true)")
  PGPORT=$(cat "$PGDIR/port")
  DB_URL="host=127.0.0.1 port=$PGPORT user=postgres dbname=doleances"
  # One login role per service, owning its schema; the shared events and auth schemas belong to
  # a group role every service is a member of. Passwords live only in the run folder.
  psql "$ADMIN_URL" -qtAc "SELECT 1 FROM pg_database WHERE datname = 'doleances'" | grep -q 1 ||
    psql "$ADMIN_URL" -qc "CREATE DATABASE doleances"
  psql "$DB_URL" -qv ON_ERROR_STOP=1 >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'doleances_services') THEN
    CREATE ROLE doleances_services NOLOGIN;
  END IF;
END $$;
CREATE SCHEMA IF NOT EXISTS events AUTHORIZATION doleances_services;
CREATE SCHEMA IF NOT EXISTS auth AUTHORIZATION doleances_services;
SQL
  for service in "${SERVICES[@]}"; do
    password_file=$RUN_DIR/$service.password
    [ -f "$password_file" ] || (umask 077; openssl rand -hex 16 >"$password_file")
    password=$(cat "$password_file")
    psql "$DB_URL" -qv ON_ERROR_STOP=1 >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'doleances_$service') THEN
    CREATE ROLE doleances_$service LOGIN;
  END IF;
END \$\$;
ALTER ROLE doleances_$service PASSWORD '$password';
ALTER ROLE doleances_$service SET idle_in_transaction_session_timeout = '30s';
GRANT doleances_services TO doleances_$service;
CREATE SCHEMA IF NOT EXISTS $service AUTHORIZATION doleances_$service;
SQL
    SERVICE_URL[$service]="host=127.0.0.1 port=$PGPORT user=doleances_$service password=$password dbname=doleances"
  done
else
  ADMIN_URL=$DOLEANCES_DATABASE_URL
  DB_URL=$DOLEANCES_DATABASE_URL
  for service in "${SERVICES[@]}"; do SERVICE_URL[$service]=$DOLEANCES_DATABASE_URL; done
fi

# Services call each other as service principals of their own: workflow calls mediation
# (OpenMediation), intake reads questions and responses from workflow (GetCaseHistory).
for caller in workflow intake; do
  if [ ! -s "$RUN_DIR/$caller-service.key" ]; then
    "$CTL" admin principal "$caller-service" --roles=service --administrations='*' \
      --database-url="$DB_URL" >/dev/null
    (umask 077; "$CTL" admin issue-key "$caller-service" --database-url="$DB_URL" \
      >"$RUN_DIR/$caller-service.key")
  fi
done
export DOLEANCES_MEDIATION_ADDRESS="127.0.0.1:$((GRPC_BASE + 2))"
export DOLEANCES_MEDIATION_API_KEY_FILE="$RUN_DIR/workflow-service.key"
export DOLEANCES_WORKFLOW_ADDRESS="127.0.0.1:$((GRPC_BASE + 1))"
export DOLEANCES_WORKFLOW_API_KEY_FILE="$RUN_DIR/intake-service.key"
# Workflow also reads complaint texts from intake (keyword routing) with its own key.
export DOLEANCES_INTAKE_ADDRESS="127.0.0.1:$GRPC_BASE"
export DOLEANCES_INTAKE_API_KEY_FILE="$RUN_DIR/workflow-service.key"

ctl_addresses=()
for i in "${!SERVICES[@]}"; do
  service=${SERVICES[$i]}
  grpc_port=$((GRPC_BASE + i))
  metrics_port=$((METRICS_BASE + i))
  DOLEANCES_DATABASE_URL=${SERVICE_URL[$service]} setsid "$BUILD/services/$service/doleances-$service" \
    --grpc-address="127.0.0.1:$grpc_port" --metrics-address="127.0.0.1:$metrics_port" \
    >>"$RUN_DIR/logs/$service.log" 2>&1 </dev/null &
  echo $! >>"$RUN_DIR/pids"
  ctl_addresses+=("--$service=127.0.0.1:$grpc_port")
done
printf '%s\n' "${ctl_addresses[@]}" >"$RUN_DIR/ctl.args"

if ! "$CTL" health "${ctl_addresses[@]}" --wait-seconds=60; then
  echo "Not every service is SERVING; logs are in $RUN_DIR/logs. Stopping." >&2
  for service in "${SERVICES[@]}"; do
    echo "--- last lines of $service.log" >&2
    tail -n 15 "$RUN_DIR/logs/$service.log" >&2
  done
  "$ROOT/deploy/local/down.sh"
  exit 1
fi

# A first operator key, so that doleancesctl can call the services right away.
if [ ! -s "$RUN_DIR/admin.key" ]; then
  "$CTL" admin principal local-admin --roles=admin,supervisor,agent,analyst,submitter \
    --administrations='*' --database-url="$DB_URL" >/dev/null
  (umask 077; "$CTL" admin issue-key local-admin --database-url="$DB_URL" >"$RUN_DIR/admin.key")
fi

# Prometheus scrapes the suite with a configuration rendered for its ports; it is in the pids
# file, so down.sh stops it with the services.
prometheus_line="  prometheus not started (DOLEANCES_SKIP_PROMETHEUS is set or /usr/bin/prometheus is missing)"
if [ -n "$PROMETHEUS" ]; then
  ./deploy/prometheus/render.sh "$METRICS_BASE" "$PROMETHEUS_PORT" >"$RUN_DIR/prometheus.yml"
  setsid "$PROMETHEUS" --config.file="$RUN_DIR/prometheus.yml" --storage.tsdb.path="$RUN_DIR/prometheus" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >>"$RUN_DIR/logs/prometheus.log" 2>&1 </dev/null &
  prometheus_pid=$!
  echo $prometheus_pid >>"$RUN_DIR/pids"
  # Ours must be the one answering: another Prometheus may hold the port, and ours then exits.
  for attempt in $(seq 1 300); do
    kill -0 $prometheus_pid 2>/dev/null && curl -sf "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" >/dev/null && break
    if [ "$attempt" -eq 300 ] || ! kill -0 $prometheus_pid 2>/dev/null; then
      echo "Prometheus did not start; stopping. Last lines of its log:" >&2
      tail -n 15 "$RUN_DIR/logs/prometheus.log" >&2
      "$ROOT/deploy/local/down.sh"
      exit 1
    fi
    sleep 0.1
  done
  prometheus_line="  prometheus http://127.0.0.1:$PROMETHEUS_PORT/ (log: $RUN_DIR/logs/prometheus.log)"
fi

cat <<MSG

Doléances is running.
  gRPC     intake 127.0.0.1:$GRPC_BASE  workflow :$((GRPC_BASE + 1))  mediation :$((GRPC_BASE + 2))  analytics :$((GRPC_BASE + 3))
  metrics  http://127.0.0.1:$METRICS_BASE/metrics ... http://127.0.0.1:$((METRICS_BASE + 3))/metrics
$prometheus_line
  database $DB_URL
  logs     $RUN_DIR/logs/
  API key  $RUN_DIR/admin.key (principal local-admin)

Try:
  export DOLEANCES_API_KEY=\$(cat $RUN_DIR/admin.key)
  $CTL health $(printf '%s ' "${ctl_addresses[@]}")
Stop with ./deploy/local/down.sh
MSG
