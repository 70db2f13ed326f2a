#!/usr/bin/env bash
# The monitoring against the real thing: ./deploy/local/up.sh starts the suite and Prometheus
# with deploy/prometheus's configuration and rules; a scripted load goes through doleancesctl;
# then every Grafana panel query, every recording rule and every alert expression is evaluated
# through Prometheus' HTTP API (tests/e2e/prometheus_queries.py), every rule must be healthy,
# the intake error-ratio alert must go pending under the load's errors, the service-down alert
# must go pending when a service is killed, and ./deploy/local/down.sh must stop Prometheus too.
#   usage: prometheus_queries_test.sh BUILD_DIR
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
[ -x /usr/bin/prometheus ] || { echo "FAIL: /usr/bin/prometheus is missing (scripts/install_deps.sh)" >&2; exit 1; }
export DOLEANCES_BUILD_DIR=$1 DOLEANCES_SKIP_BUILD=1
export DOLEANCES_RUN_DIR=$(mktemp -d /tmp/doleances-e2e.XXXXXX)
chmod 755 "$DOLEANCES_RUN_DIR"  # The embedded cluster runs as 'postgres' when we are root.
unset DOLEANCES_DATABASE_URL DOLEANCES_SKIP_PROMETHEUS
# Below the kernel's ephemeral range (32768+), above local_stack_test.sh's 20000-25999, inside
# python_client_test.sh's 26000-31999 (RUN_SERIAL keeps CTest from running them together):
# slots of 10 ports, gRPC +0..3, metrics +4..7, Prometheus +8.
export DOLEANCES_GRPC_PORT_BASE=$((29000 + RANDOM % 300 * 10))
export DOLEANCES_METRICS_PORT_BASE=$((DOLEANCES_GRPC_PORT_BASE + 4))
export DOLEANCES_PROMETHEUS_PORT=$((DOLEANCES_GRPC_PORT_BASE + 8))
PROM=http://127.0.0.1:$DOLEANCES_PROMETHEUS_PORT
WORK=$DOLEANCES_RUN_DIR.work
mkdir -p "$WORK"
trap '"$ROOT/deploy/local/down.sh" --purge >/dev/null; rm -rf "$WORK"' EXIT
started=$SECONDS

fail() { echo "FAIL: $*" >&2; exit 1; }
# Prints the number of series an instant query returns; non-zero status on a query error.
series_count() {
  curl -sf --data-urlencode "query=$1" "$PROM/api/v1/query" | jq -e '.data.result | length'
}
# Waits up to $2 seconds for query $1 to return at least one series.
wait_for() {
  local count
  for _ in $(seq 1 "$2"); do
    count=$(series_count "$1") || fail "query failed: $1"
    [ "$count" -gt 0 ] && return 0
    sleep 1
  done
  fail "after $2 s, still no series for: $1"
}

"$ROOT/deploy/local/up.sh" >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; fail "up.sh"; }
mapfile -t pids <"$DOLEANCES_RUN_DIR/pids"
[ ${#pids[@]} -eq 5 ] || fail "expected 4 services and Prometheus, got ${#pids[@]} processes"
grep -q "prometheus $PROM/" "$WORK/up.log" || fail "up.sh does not print Prometheus' URL"
# Every target up before the load, so that the load's counters are seen from their first value.
wait_for 'count(up{job="doleances"} == 1) == 4' 30

# Workflow routes what intake receives once Lyon has a department and a default queue.
ADMINISTRATION=6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b
db="host=127.0.0.1 port=$(cat "$DOLEANCES_RUN_DIR/postgres/port") user=postgres dbname=doleances"
psql "$db" -qv ON_ERROR_STOP=1 >/dev/null <<SQL || fail "cannot seed workflow's organisation"
INSERT INTO workflow.departments VALUES ('11111111-1111-4111-8111-111111111111', '$ADMINISTRATION', 'Voirie');
INSERT INTO workflow.queues VALUES ('33333333-3333-4333-8333-333333333333', '$ADMINISTRATION',
  '11111111-1111-4111-8111-111111111111', 'Accueil');
INSERT INTO workflow.default_queues VALUES ('$ADMINISTRATION', '33333333-3333-4333-8333-333333333333');
SQL

# The load, in three rounds with a scrape after each: a counter's series appears with its first
# call, and rate() sees only what grows between two samples, so every series must grow after a
# scrape. Each round: 4 reports (SIGNALEMENT, the kind doleancesctl can send without a citizen)
# stored over two channels, 1 replayed (same idempotency key), 2 rejected (no subject; a
# RECLAMATION without citizen), 4 tracked, 3 looked up by an unknown id:
# 14 intake calls, 5 not OK (36 %), enough for DoleancesIntakeErrorRatioHigh (> 20 %, > 3 calls
# a minute) to go pending.
CTL=("$1/tools/doleancesctl/doleancesctl" $(cat "$DOLEANCES_RUN_DIR/ctl.args"))
export DOLEANCES_API_KEY=$(cat "$DOLEANCES_RUN_DIR/admin.key")
submit() {
  "${CTL[@]}" submit --administration=$ADMINISTRATION --commune=69387 --description="Devant le 40" "$@"
}
# Waits for Prometheus to scrape intake after this moment.
wait_for_scrape() {
  local now
  now=$(date +%s)
  wait_for "timestamp(up{job=\"doleances\", service=\"intake\"}) > $now" 15
}
for round in 1 2 3; do
  codes=()
  for i in 1 2 3 4; do
    channel=$([ "$i" -le 2 ] && echo WEB_FORM || echo API)
    out=$(submit --kind=SIGNALEMENT --channel=$channel --subject="Nid de poule $round.$i" \
      --idempotency-key=load-$round-$i) || fail "submit: $out"
    codes+=("$(sed -n 's/.*"trackingCode": "\([^"]*\)".*/\1/p' <<<"$out")")
  done
  submit --kind=SIGNALEMENT --subject="Nid de poule $round.4" --idempotency-key=load-$round-4 \
    >/dev/null || fail "replay"
  if out=$(submit --kind=SIGNALEMENT --subject=""); then fail "a complaint without subject was accepted: $out"; fi
  if out=$(submit --kind=RECLAMATION --subject="Sans citoyen"); then
    fail "a RECLAMATION without citizen was accepted: $out"
  fi
  for code in "${codes[@]}"; do
    [ -n "$code" ] || fail "a submission returned no tracking code"
    "${CTL[@]}" track "$code" >/dev/null || fail "track $code"
  done
  for i in 1 2 3; do
    if "${CTL[@]}" get "$(cat /proc/sys/kernel/random/uuid)" >/dev/null; then fail "an unknown id was found"; fi
  done
  wait_for_scrape
done
load_done=$(date +%s)
echo "load sent and scraped $((SECONDS - started)) s after start"

# Wait for scrapes after the load, then for every rule group to have evaluated after it.
wait_for 'doleances_intake_submissions_total{outcome="rejected"} > 0' 30
wait_for 'service:doleances_rpc_errors:ratio_rate5m{service="intake"} > 0' 30
for _ in $(seq 1 30); do
  stale=$(curl -sf "$PROM/api/v1/rules" | jq --argjson t "$load_done" \
    '[.data.groups[] | select((.lastEvaluation | sub("\\.[0-9]+"; "") | fromdateiso8601? // 0) <= $t)] | length')
  [ "$stale" = 0 ] && break
  sleep 1
done
[ "$stale" = 0 ] || fail "$stale rule groups have not been evaluated since the load"

# What may come back empty from this run, and why: these metrics only move when a case is
# answered, resolved or closed, a deadline passes or nears (days of business calendar), a
# mediation opens or ends, or analytics' 30-day projection has events to apply — none of which
# a few minutes of submissions produce (and some are still being added to the services).
# ALERTS is empty while nothing fires. Everything else — RPC metrics, up, scrape and rule
# metrics, intake's counters, consumer lag of intake and workflow, the recording rules built on
# them — must return series.
ALLOWED_EMPTY='doleances_workflow_(time_to_(route|first_response|resolution)|open_cases|cases_past_deadline|cases_near_deadline|deadlines_met|deadline_breaches)'
ALLOWED_EMPTY+='|doleances_mediation_(duration_seconds|open_mediations|deadline_breaches)'
ALLOWED_EMPTY+='|doleances_analytics_events_applied|doleances_(workflow|analytics)_sla_compliance|ALERTS'
"$ROOT/deploy/grafana/queries.py" "$ROOT"/deploy/grafana/dashboards/*.json >"$WORK/queries.jsonl"
/usr/bin/python3 "$ROOT/tests/e2e/prometheus_queries.py" --rules "$PROM" "$WORK/queries.jsonl" \
  "$ALLOWED_EMPTY" | tee "$WORK/report" || fail "some queries failed (see above)"
# This run's 30 queries on RPC, scrape, intake and lag metrics return series: a pattern above
# that grew to excuse them would show here.
[ "$(grep -c '^ok  *[0-9]' "$WORK/report")" -ge 30 ] || fail "fewer than 30 queries returned series"

# The alerts, end to end: the load's errors make intake's error-ratio alert pending (its
# for: is 15 minutes), and nothing is down yet.
alerts() { curl -sf "$PROM/api/v1/alerts" | jq -r '.data.alerts[] | "\(.labels.alertname) \(.labels.service // "-") \(.state)"'; }
wait_for 'ALERTS{alertname="DoleancesIntakeErrorRatioHigh", alertstate="pending"}' 20
alerts | grep -q '^DoleancesServiceDown' && fail "DoleancesServiceDown is active while all is up: $(alerts)"
# mediation (third in the pids file) dies: DoleancesServiceDown pending for it after a scrape.
kill -KILL "${pids[2]}"
wait_for 'ALERTS{alertname="DoleancesServiceDown", service="mediation", alertstate="pending"}' 30
echo "alerts: $(alerts | tr '\n' ';')"

"$ROOT/deploy/local/down.sh" >/dev/null
for pid in "${pids[@]}"; do
  kill -0 "$pid" 2>/dev/null && fail "process $pid survived down.sh"
done
echo "prometheus queries: every dashboard query and rule evaluated, alerts pending as expected," \
  "clean down, in $((SECONDS - started)) s"
