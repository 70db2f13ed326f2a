#!/usr/bin/env bash
# Stops what ./deploy/local/up.sh started: the services and Prometheus (SIGTERM, then SIGKILL
# after 15 s) and the embedded PostgreSQL. --purge also deletes the run folder (database, keys,
# logs, Prometheus' data).
set -uo pipefail
cd "$(dirname "$0")/../.."
RUN_DIR=$(realpath -m "${DOLEANCES_RUN_DIR:-$PWD/.local/run}")

if [ -f "$RUN_DIR/pids" ]; then
  mapfile -t pids <"$RUN_DIR/pids"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for _ in $(seq 1 150); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null && echo "killed $pid after 15 s"; done
  rm -f "$RUN_DIR/pids"
fi
./scripts/postgres.sh stop "$RUN_DIR/postgres" 2>/dev/null
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$RUN_DIR"
fi
echo "Doléances stopped."
