#!/usr/bin/env bash
# The README's run path, end to end: ./deploy/local/up.sh on the embedded PostgreSQL brings the four
# services to SERVING with metrics answering, a complaint submitted with the operator key can be
# tracked by its code alone, a service role cannot read another's schema, and
# ./deploy/local/down.sh leaves no process behind.
#   usage: local_stack_test.sh BUILD_DIR
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export DOLEANCES_BUILD_DIR=$1 DOLEANCES_SKIP_BUILD=1
# No Prometheus: this test counts the four service processes; prometheus_queries_test.sh covers it.
export DOLEANCES_SKIP_PROMETHEUS=1
export DOLEANCES_RUN_DIR=$(mktemp -d /tmp/doleances-e2e.XXXXXX)
chmod 755 "$DOLEANCES_RUN_DIR"  # The embedded cluster runs as 'postgres' when we are root.
unset DOLEANCES_DATABASE_URL
# Ports away from the defaults, so a suite a developer runs is not disturbed.
# Below the kernel's ephemeral range (32768+), so no outgoing connection can hold our ports.
export DOLEANCES_GRPC_PORT_BASE=$((20000 + RANDOM % 750 * 8))
export DOLEANCES_METRICS_PORT_BASE=$((DOLEANCES_GRPC_PORT_BASE + 4))
trap '"$ROOT/deploy/local/down.sh" --purge >/dev/null' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
# Tracks file $1 as an anonymous citizen until the answer matches $2 (10 s at most); the last
# answer stays in $tracking.
track_until() {
  for _ in $(seq 1 100); do
    tracking=$(DOLEANCES_API_KEY= "${CTL[@]}" track "$1")
    grep -q "$2" <<<"$tracking" && return 0
    sleep 0.1
  done
  return 1
}

"$ROOT/deploy/local/up.sh" >"$DOLEANCES_RUN_DIR.up.log" 2>&1 || { cat "$DOLEANCES_RUN_DIR.up.log"; fail "up.sh"; }
mapfile -t pids <"$DOLEANCES_RUN_DIR/pids"
[ ${#pids[@]} -eq 4 ] || fail "expected 4 service processes, got ${#pids[@]}"

i=0
for service in intake workflow mediation analytics; do
  metrics=$(curl -sf "http://127.0.0.1:$((DOLEANCES_METRICS_PORT_BASE + i))/metrics") ||
    fail "$service metrics endpoint does not answer"
  grep -q "^doleances_${service}_rpc_duration_seconds_count{code=\"OK\",method=\"Check\"}" <<<"$metrics" ||
    fail "$service does not count its health checks"
  i=$((i + 1))
done

# Lyon gets a department with a default queue and a roads queue; a keyword rule sends potholes
# to the roads queue, so that routing has to read the complaint's words from intake.
db="host=127.0.0.1 port=$(cat "$DOLEANCES_RUN_DIR/postgres/port") user=postgres dbname=doleances"
psql "$db" -qv ON_ERROR_STOP=1 >/dev/null <<'SQL' || fail "cannot seed workflow's organisation"
INSERT INTO workflow.departments (department_id, administration_id, name) VALUES
  ('11111111-1111-4111-8111-111111111111', '6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b', 'Voirie');
INSERT INTO workflow.queues (queue_id, administration_id, department_id, name) VALUES
  ('33333333-3333-4333-8333-333333333333', '6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b',
   '11111111-1111-4111-8111-111111111111', 'Accueil'),
  ('22222222-2222-4222-8222-222222222222', '6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b',
   '11111111-1111-4111-8111-111111111111', 'Chaussée');
INSERT INTO workflow.default_queues (administration_id, queue_id) VALUES
  ('6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b', '33333333-3333-4333-8333-333333333333');
SQL
CTL=("$1/tools/doleancesctl/doleancesctl" $(cat "$DOLEANCES_RUN_DIR/ctl.args"))
cat >"$DOLEANCES_RUN_DIR/rule.json" <<'JSON'
{"administrationId": "6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b", "name": "Chaussée abîmée",
 "precedence": 10, "keywords": ["nid de poule", "nids de poule"],
 "targetQueueId": "22222222-2222-4222-8222-222222222222", "enabled": true}
JSON
rule=$(DOLEANCES_API_KEY=$(cat "$DOLEANCES_RUN_DIR/admin.key") "${CTL[@]}" rules create \
  --file="$DOLEANCES_RUN_DIR/rule.json") || fail "rules create: $rule"

# A submission with the operator key, then the citizen's view by tracking code alone.
acknowledgement=$(DOLEANCES_API_KEY=$(cat "$DOLEANCES_RUN_DIR/admin.key") "${CTL[@]}" submit \
  --administration=6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b --kind=SIGNALEMENT \
  --subject="Nid de poule" --description="Avenue Jean Jaurès, devant le 40" --commune=69387) ||
  fail "submit: $acknowledgement"
code=$(sed -n 's/.*"trackingCode": "\([^"]*\)".*/\1/p' <<<"$acknowledgement")
[ -n "$code" ] || fail "no tracking code in: $acknowledgement"
tracking=$(DOLEANCES_API_KEY= "${CTL[@]}" track "$code") || fail "track: $tracking"
grep -q '"status": "CASE_STATE_' <<<"$tracking" || fail "unexpected tracking: $tracking"
# Across three processes and the event log: intake → workflow routes → intake mirrors ROUTED.
track_until "$code" '"status": "CASE_STATE_ROUTED"' || fail "never routed: $tracking"

# An agent's day through doleancesctl: the queue, the case taken in hand, a response the
# citizen then sees, and how the acknowledgement deadline was computed.
export DOLEANCES_API_KEY=$(cat "$DOLEANCES_RUN_DIR/admin.key")
json() { /usr/bin/python3 -c "import json,sys; print(eval(sys.argv[1], {'d': json.load(sys.stdin)}))" "$1"; }
queue=$("${CTL[@]}" queue --administration=6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b) || fail "queue: $queue"
case_id=$(json "d['cases'][0]['caseId']" <<<"$queue")
[ "$(json "d['cases'][0]['queueId']" <<<"$queue")" = 22222222-2222-4222-8222-222222222222 ] ||
  fail "the keyword rule did not route the pothole (text read from intake): $queue"
complaint_id=$(json "d['cases'][0]['complaintId']" <<<"$queue")
preview=$("${CTL[@]}" rules preview --administration=6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b \
  --complaint="$complaint_id") || fail "rules preview of the stored complaint: $preview"
[ "$(json "d['queueId']" <<<"$preview")" = 22222222-2222-4222-8222-222222222222 ] ||
  fail "the preview of the stored complaint does not explain the keyword route: $preview"
version=$(json "d['cases'][0]['version']" <<<"$queue")
for state in ASSIGNED IN_PROGRESS; do
  moved=$("${CTL[@]}" transition "$case_id" --to=$state --version="$version") ||
    fail "transition to $state: $moved"
  version=$(json "d['caseFile']['version']" <<<"$moved")
done
# A message to the citizen that changes nothing else: a note, read by tracking code.
noted=$("${CTL[@]}" note "$case_id" --public --text="Une équipe passe demain matin.") ||
  fail "note: $noted"
track_until "$code" "passe demain matin" || fail "the citizen does not see the message: $tracking"
grep -q '"status": "CASE_STATE_IN_PROGRESS"' <<<"$tracking" || fail "a message moved the file: $tracking"
responded=$("${CTL[@]}" respond "$case_id" --version="$version" \
  --text="La chaussée a été réparée le jour même.") || fail "respond: $responded"
deadlines=$("${CTL[@]}" deadlines "$case_id") || fail "deadlines: $deadlines"
grep -q "CLOCK_KIND_ACKNOWLEDGEMENT" <<<"$deadlines" || fail "no acknowledgement clock: $deadlines"
track_until "$code" '"status": "CASE_STATE_RESPONDED"' || fail "never responded: $tracking"
grep -q "réparée le jour même" <<<"$tracking" || fail "the citizen does not see the response: $tracking"
# A misdirected complaint forwarded to the competent administration: the citizen's file says so,
# with the standard notice read from workflow.
misdirected=$("${CTL[@]}" submit --administration=6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b \
  --kind=SIGNALEMENT --subject="Autoroute A7" --description="Bande d'arrêt d'urgence dégradée" \
  --commune=69387) || fail "submit: $misdirected"
code2=$(sed -n 's/.*"trackingCode": "\([^"]*\)".*/\1/p' <<<"$misdirected")
complaint2=$(sed -n 's/.*"complaintId": "\([^"]*\)".*/\1/p' <<<"$misdirected")
for _ in $(seq 1 100); do
  queue=$("${CTL[@]}" queue --administration=6f1c2a3e-0c1d-4e5f-8a9b-0c1d2e3f4a5b)
  grep -q "$complaint2" <<<"$queue" && break
  sleep 0.1
done
mine="[c for c in d['cases'] if c['complaintId'] == '$complaint2'][0]"
case2=$(json "$mine['caseId']" <<<"$queue") || fail "the second complaint was never routed: $queue"
version2=$(json "$mine['version']" <<<"$queue")
transferred=$("${CTL[@]}" transfer "$case2" --version="$version2" \
  --to=0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d --motive="Réseau routier national") ||
  fail "transfer: $transferred"
track_until "$code2" "L114-2" || fail "the citizen does not see the transfer notice: $tracking"
# Read whole before grep: `curl | grep -q` fails under pipefail when grep's early exit cuts
# curl's write short (SIGPIPE), which a page larger than the pipe's buffer makes likely.
workflow_metrics=$(curl -sf "http://127.0.0.1:$((DOLEANCES_METRICS_PORT_BASE + 1))/metrics") ||
  fail "workflow's metrics cannot be read"
grep -q '^doleances_workflow_time_to_route_seconds_count{' <<<"$workflow_metrics" ||
  fail "workflow exports no routing time"

port=$(cat "$DOLEANCES_RUN_DIR/postgres/port")
if psql "host=127.0.0.1 port=$port user=doleances_workflow password=$(cat "$DOLEANCES_RUN_DIR/workflow.password") dbname=doleances" \
  -qtAc "SELECT count(*) FROM intake.schema_migrations" >/dev/null 2>&1; then
  fail "workflow's role can read intake's schema"
fi

"$ROOT/deploy/local/down.sh" >/dev/null
for pid in "${pids[@]}"; do
  kill -0 "$pid" 2>/dev/null && fail "process $pid survived down.sh"
done
[ -f "$DOLEANCES_RUN_DIR/postgres/data/postmaster.pid" ] && fail "embedded PostgreSQL survived down.sh"
rm -f "$DOLEANCES_RUN_DIR.up.log"
echo "local stack: up, SERVING, metrics, submit, routed by keyword on the text read from intake,"\
  "handled, noted and answered through doleancesctl, message, response and transfer notice"\
  "tracked, schema isolation, clean down"
