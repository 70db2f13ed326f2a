#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster in a project-local folder.
#   scripts/postgres.sh start DIR [PORT]   initdb if needed, start on 127.0.0.1:PORT (a free port
#                                          when omitted), print the superuser connection string
#   scripts/postgres.sh stop DIR           stop it (fast shutdown)
# When run as root, the cluster runs as the unprivileged 'postgres' user (initdb refuses root).
set -euo pipefail

# pg_ctl hands -o to a shell: keep the options on one line.
PG_BIN=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || dirname "$(command -v pg_ctl)")

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    # 10000-19999: below the ephemeral range and apart from the ports the e2e tests pick.
    port=$((10000 + RANDOM % 10000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

start() {
  local dir port
  dir=$(realpath -m "$1")
  port=${2:-$(free_port)}
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  fi
  if [ -f "$dir/port" ] && as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    echo "host=127.0.0.1 port=$(cat "$dir/port") user=postgres dbname=postgres"  # Already up.
    return 0
  fi
  # Durable settings (fsync, synchronous_commit) stay at their defaults: we measure real commits.
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c max_connections=300 -c shared_buffers=256MB ${DOLEANCES_PG_EXTRA_OPTIONS:-}" \
    >/dev/null || { tail -20 "$dir/server.log" >&2; return 1; }
  echo "$port" >"$dir/port"
  echo "host=127.0.0.1 port=$port user=postgres dbname=postgres"
}

stop() {
  local dir
  dir=$(realpath -m "$1")
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
}

case "${1:-}" in
  start) start "$2" "${3:-}" ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 start DIR [PORT] | stop DIR" >&2; exit 2 ;;
esac
