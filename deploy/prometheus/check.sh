#!/usr/bin/env bash
# Static checks of the monitoring configuration, no running service needed:
#   - promtool check rules on every rule file;
#   - promtool check config on prometheus.yml as render.sh writes it (which also loads the rules);
#   - promtool test rules on every tests/*.yml;
#   - every recording rule is the expression of a promql_expr_test, and every alert has a test
#     where it fires and one where it does not;
#   - the Grafana dashboards are valid JSON, every panel has a query on the provisioned
#     datasource, and every query (variables replaced) parses as PromQL (through promtool);
#   - every alert's runbook anchor is a section of deploy/README.md.
# Exits non-zero on the first failure. Registered in CTest as prometheus_rules (label unit).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
GRAFANA=$HERE/../grafana
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$HERE"

fail() { echo "FAIL: $*" >&2; exit 1; }

promtool check rules rules/*.yml

./render.sh 9101 9090 >"$TMP/prometheus.yml"
if grep -n '@[A-Z_]*@' "$TMP/prometheus.yml"; then fail "render.sh left a placeholder"; fi
promtool check config "$TMP/prometheus.yml"

promtool test rules tests/*.yml

# Coverage: names defined in the rules versus names the tests exercise.
missing=0
for record in $(sed -n 's/^ *- record: *\([^ ]*\).*/\1/p' rules/*.yml); do
  grep -qE "^ *- expr: *$record *$" tests/*.yml ||
    { echo "recording rule $record has no promql_expr_test" >&2; missing=1; }
done
# For each alert_rule_test, whether its exp_alerts is empty ("silent") or not ("firing").
awk '/- alertname:/ { name = $3 } /exp_alerts:/ { print name, ($2 == "[]" ? "silent" : "firing") }' \
  tests/*.yml | sort -u >"$TMP/alert_cases"
for alert in $(sed -n 's/^ *- alert: *\([^ ]*\).*/\1/p' rules/*.yml); do
  for case in firing silent; do
    grep -qx "$alert $case" "$TMP/alert_cases" ||
      { echo "alert $alert has no $case test" >&2; missing=1; }
  done
done
[ "$missing" -eq 0 ] || fail "rules without tests"

# Every alert's runbook annotation leads to a section of deploy/README.md.
for anchor in $(sed -n 's/^ *runbook: deploy\/README.md#\([a-z0-9-]*\) *$/\1/p' rules/*.yml | sort -u); do
  grep -qix "### $anchor" ../README.md || fail "deploy/README.md has no section for runbook #$anchor"
done
[ "$(grep -c '^ *runbook:' rules/alerts.yml)" -eq "$(grep -c '^ *- alert:' rules/alerts.yml)" ] ||
  fail "an alert has no runbook annotation"

# Dashboards: queries.py rejects invalid JSON, panels without a query or on another datasource,
# and unknown variables;
# promtool then parses every query as the expression of a recording rule.
"$GRAFANA/queries.py" "$GRAFANA"/dashboards/*.json >"$TMP/queries.jsonl"
/usr/bin/python3 - "$TMP/queries.jsonl" >"$TMP/dashboard_rules.yml" <<'PY'
import json, sys
print("groups:\n  - name: dashboard_queries\n    rules:")
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    query = json.loads(line)
    print("      - record: dashboard_query_%d\n        expr: %s" % (i, json.dumps(query["expr"])))
PY
if ! promtool check rules "$TMP/dashboard_rules.yml" >"$TMP/promtool.out" 2>&1; then
  cat "$TMP/promtool.out" >&2
  fail "a dashboard query does not parse (dashboard_query_N is line N+1 of queries.py's output)"
fi
echo "dashboards: $(wc -l <"$TMP/queries.jsonl") queries parse"
echo "prometheus rules, config, rule tests and dashboards: OK"
