#!/usr/bin/python3
"""Prints every PromQL query of the given Grafana dashboards, one JSON object a line:
{"dashboard": title, "panel": title, "expr": query}, with Grafana's variables replaced so that
Prometheus itself can evaluate the query. Fails on a panel without a query or with another
datasource than the provisioned one. Variables are replaced:
  - the dashboard's own variables by their "All" value (allValue, e.g. ".*"), which is why
    dashboards only use them inside regex matchers (=~"$administration");
  - Grafana's built-in $__rate_interval, $__interval and $__range by fixed durations;
  - template-variable queries label_values(SELECTOR, LABEL) by group by (LABEL) (SELECTOR),
    which returns the same label values.
Used by deploy/prometheus/check.sh (syntax, through promtool) and by
tests/e2e/prometheus_queries_test.sh (evaluation against a running Prometheus).
  usage: queries.py DASHBOARD.json...
"""
import json
import re
import sys

# The uid deploy/grafana/provisioning/datasources/prometheus.yml gives the Prometheus datasource.
DATASOURCE_UID = "doleances-prometheus"
BUILT_INS = {"__rate_interval": "1m", "__interval": "15s", "__range": "1h"}
LABEL_VALUES = re.compile(r"^\s*label_values\((.+),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$", re.S)


def substitute(expr, variables):
    def value(match):
        name = match.group(1) or match.group(2)
        if name in BUILT_INS:
            return BUILT_INS[name]
        if name in variables:
            return variables[name]
        raise SystemExit("unknown variable $%s in: %s" % (name, expr))

    return re.sub(r"\$\{(\w+)\}|\$(\w+)", value, expr)


def main(paths):
    for path in paths:
        with open(path, encoding="utf-8") as file:
            board = json.load(file)
        variables = {}
        template_queries = []
        for variable in board.get("templating", {}).get("list", []):
            if "allValue" not in variable:
                raise SystemExit("%s: variable %s has no allValue" % (path, variable["name"]))
            variables[variable["name"]] = variable["allValue"]
            if variable["type"] == "query":
                query = variable["query"]
                query = query["query"] if isinstance(query, dict) else query
                match = LABEL_VALUES.match(query)
                if not match:
                    raise SystemExit("%s: variable %s is not label_values(SELECTOR, LABEL)" % (path, variable["name"]))
                template_queries.append(("variable $" + variable["name"],
                                         "group by (%s) (%s)" % (match.group(2), match.group(1))))
        panels = []
        for panel in board["panels"]:
            panels.append(panel)
            panels.extend(panel.get("panels", []))  # Collapsed rows hold their panels.
        queries = list(template_queries)
        for panel in panels:
            if panel["type"] == "row":
                continue
            if panel.get("datasource", {}).get("uid") != DATASOURCE_UID:
                raise SystemExit("%s: panel %r does not use datasource %s" % (path, panel["title"], DATASOURCE_UID))
            targets = panel.get("targets", [])
            if not targets:
                raise SystemExit("%s: panel %r has no query" % (path, panel["title"]))
            for target in targets:
                queries.append(("%s [%s]" % (panel["title"], target["refId"]), target["expr"]))
        for where, expr in queries:
            print(json.dumps({"dashboard": board["title"], "panel": where,
                              "expr": substitute(expr, variables)}, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(sys.argv[1:])
