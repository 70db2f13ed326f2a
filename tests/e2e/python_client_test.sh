#!/usr/bin/env bash
# Runs tests/e2e/python_client.py (Debian's python3-grpcio, stubs generated from the contracts by
# protoc and grpc_python_plugin) against the suite started by ./deploy/local/up.sh.
#   usage: python_client_test.sh BUILD_DIR
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export DOLEANCES_BUILD_DIR=$1 DOLEANCES_SKIP_BUILD=1
export DOLEANCES_SKIP_PROMETHEUS=1  # Not needed here, and it would take port 9090.
export DOLEANCES_RUN_DIR=$(mktemp -d /tmp/doleances-py.XXXXXX)
chmod 755 "$DOLEANCES_RUN_DIR"
unset DOLEANCES_DATABASE_URL
# Below the kernel's ephemeral range (32768+), so no outgoing connection can hold our ports.
export DOLEANCES_GRPC_PORT_BASE=$((26000 + RANDOM % 750 * 8))
export DOLEANCES_METRICS_PORT_BASE=$((DOLEANCES_GRPC_PORT_BASE + 4))
trap '"$ROOT/deploy/local/down.sh" --purge >/dev/null' EXIT

stubs=$DOLEANCES_RUN_DIR/python
mkdir -p "$stubs"
protoc -I "$ROOT/proto" -I /usr/include --python_out="$stubs" --grpc_out="$stubs" \
  --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin $(cd "$ROOT/proto" && find doleances -name '*.proto')
"$ROOT/deploy/local/up.sh" >"$DOLEANCES_RUN_DIR.up.log" 2>&1 || { cat "$DOLEANCES_RUN_DIR.up.log"; exit 1; }
rm -f "$DOLEANCES_RUN_DIR.up.log"
# Debian's interpreter, where python3-grpcio is installed (not another python3 on the PATH).
/usr/bin/python3 "$ROOT/tests/e2e/python_client.py" "$stubs" "127.0.0.1:$DOLEANCES_GRPC_PORT_BASE" \
  "$(cat "$DOLEANCES_RUN_DIR/admin.key")"
