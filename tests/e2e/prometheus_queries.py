#!/usr/bin/python3
"""Evaluates queries through a running Prometheus' HTTP API and reports, for each, whether it
failed, came back empty, or returned series.
  usage: prometheus_queries.py PROMETHEUS_URL QUERIES.jsonl ALLOWED_EMPTY_REGEX
QUERIES.jsonl holds one {"dashboard"|"rule": ..., "panel"|"kind": ..., "expr": ...} object a
line (deploy/grafana/queries.py writes the dashboards' ones; --rules adds every rule Prometheus
loaded). A query fails the run when Prometheus answers with an error, or when it returns no
series although it mentions no metric matching ALLOWED_EMPTY_REGEX. Alert expressions are
thresholds, empty while all is well: they only have to evaluate without error.
With --rules, also fails when a rule is not healthy (its last evaluation failed).
"""
import json
import re
import sys
import urllib.parse
import urllib.request


def api(url, path, data=None):
    body = urllib.parse.urlencode(data).encode() if data else None
    try:
        with urllib.request.urlopen(url + path, data=body, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:  # 400/422: a bad query, with Prometheus' reason.
        return json.load(error)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    with_rules = "--rules" in sys.argv
    url, queries_path, allowed_empty = args[0], args[1], re.compile(args[2])
    queries = [json.loads(line) for line in open(queries_path, encoding="utf-8") if line.strip()]
    failures = []
    if with_rules:
        for group in api(url, "/api/v1/rules")["data"]["groups"]:
            for rule in group["rules"]:
                name = rule.get("name")
                if rule["health"] != "ok":
                    failures.append("rule %s is %s: %s" % (name, rule["health"], rule.get("lastError", "")))
                queries.append({"where": "%s rule %s" % (rule["type"], name), "expr": rule["query"],
                                "alert": rule["type"] == "alerting"})
                if rule["type"] == "recording":
                    # What the rule stored, not only what its expression gives now.
                    queries.append({"where": "recorded series %s" % name, "expr": name, "alert": False})
    counts = {"series": 0, "allowed empty": 0, "alert, not firing": 0}
    for query in queries:
        where = query.get("where") or "%s / %s" % (query["dashboard"], query["panel"])
        answer = api(url, "/api/v1/query", {"query": query["expr"]})
        if answer.get("status") != "success":
            failures.append("%s: %s: %s\n    %s" % (where, answer.get("errorType"), answer.get("error"), query["expr"]))
            continue
        result = answer["data"]["result"]
        if result:
            counts["series"] += 1
            print("ok     %-3d series  %s" % (len(result), where))
        elif query.get("alert"):
            counts["alert, not firing"] += 1
            print("ok     no series   %s (alert condition false)" % where)
        elif allowed_empty.search(query["expr"]):
            counts["allowed empty"] += 1
            print("EMPTY  (allowed)   %s" % where)
        else:
            failures.append("%s: no series, but the suite produces what it reads\n    %s" % (where, query["expr"]))
    print("%d queries: %s" % (len(queries), ", ".join("%d %s" % (n, k) for k, n in counts.items())))
    for failure in failures:
        print("FAIL: " + failure, file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
