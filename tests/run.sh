#!/usr/bin/env bash
# Installs what is missing, builds, starts a throwaway PostgreSQL, and runs every test:
# formatting, proto lint, and the unit, integration and e2e CTest labels.
#   ./tests/run.sh                 everything
#   ./tests/run.sh -L unit         only some labels (arguments go to ctest)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${DOLEANCES_BUILD_DIR:-$ROOT/build}
JOBS=${DOLEANCES_JOBS:-2}

./scripts/install_deps.sh

echo "== format"
mapfile -t sources < <(git ls-files '*.cc' '*.h' 2>/dev/null || find common services tools tests -name '*.cc' -o -name '*.h')
if [ ${#sources[@]} -gt 0 ]; then
  clang-format --dry-run --Werror "${sources[@]}"
fi

echo "== build"
start=$(date +%s)
# -O2 without debug info: debug info made the 2-core build 8.5 minutes (set DOLEANCES_DEBUG_INFO=1
# to keep it). Not -O3 (Release): GCC 12 then raises a false -Wrestrict inside libpqxx's headers.
flags="-O2 -DNDEBUG"
[ -n "${DOLEANCES_DEBUG_INFO:-}" ] && flags="$flags -g"
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" \
  >/dev/null
cmake --build "$BUILD" -j"$JOBS"
echo "build took $(( $(date +%s) - start ))s"

echo "== postgres"
PGDIR=$ROOT/.local/test-postgres
./scripts/postgres.sh stop "$PGDIR" 2>/dev/null || true
rm -rf "$PGDIR"
export DOLEANCES_PG_EXTRA_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
DOLEANCES_TEST_DATABASE_URL=$(./scripts/postgres.sh start "$PGDIR")
export DOLEANCES_TEST_DATABASE_URL
trap './scripts/postgres.sh stop "$PGDIR"' EXIT

echo "== tests"
ctest --test-dir "$BUILD" --output-on-failure -j"$JOBS" --timeout 300 "$@"
