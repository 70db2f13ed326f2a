#!/usr/bin/env bash
# Writes the Prometheus configuration for a local suite to stdout: prometheus.yml with its
# placeholders replaced by the suite's ports and the absolute path of the rules folder.
#   usage: render.sh METRICS_PORT_BASE PROMETHEUS_PORT
# METRICS_PORT_BASE is intake's metrics port; workflow, mediation and analytics follow it, in
# the order deploy/local/up.sh starts them.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 METRICS_PORT_BASE PROMETHEUS_PORT" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
base=$1
sed -e "s|@RULES_DIR@|$HERE/rules|g" \
  -e "s|@INTAKE_METRICS_PORT@|$base|g" \
  -e "s|@WORKFLOW_METRICS_PORT@|$((base + 1))|g" \
  -e "s|@MEDIATION_METRICS_PORT@|$((base + 2))|g" \
  -e "s|@ANALYTICS_METRICS_PORT@|$((base + 3))|g" \
  -e "s|@PROMETHEUS_PORT@|$2|g" \
  "$HERE/prometheus.yml"
