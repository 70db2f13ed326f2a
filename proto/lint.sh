#!/usr/bin/env bash
# Lints every contract under proto/ with buf (rules in proto/buf.yaml).
#
# buf comes from the npm package @bufbuild/buf, installed on first use into a
# git-ignored cache (DOLEANCES_NPM_CACHE, default <repo>/.local/npm) and reused
# afterwards. Quiet on success; prints the findings and exits non-zero otherwise.
set -euo pipefail

readonly buf_version="1.75.0"

proto_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(cd "${proto_dir}/.." && pwd)"
cache_dir="${DOLEANCES_NPM_CACHE:-${repo_dir}/.local/npm}"
buf_bin="${cache_dir}/node_modules/.bin/buf"

installed_version() {
  "${buf_bin}" --version 2>/dev/null || true
}

if [[ ! -x "${buf_bin}" || "$(installed_version)" != "${buf_version}" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "lint.sh: npm not found; install it first (apt-get install -y npm)" >&2
    exit 2
  fi
  mkdir -p "${cache_dir}"
  install_log="$(mktemp)"
  trap 'rm -f "${install_log}"' EXIT
  if ! npm install --prefix "${cache_dir}" --cache "${cache_dir}/.npm-cache" \
      --no-audit --no-fund --loglevel=error "@bufbuild/buf@${buf_version}" \
      >"${install_log}" 2>&1; then
    echo "lint.sh: npm install @bufbuild/buf@${buf_version} failed:" >&2
    cat "${install_log}" >&2
    exit 2
  fi
  if [[ "$(installed_version)" != "${buf_version}" ]]; then
    echo "lint.sh: buf ${buf_version} not runnable after install (got '$(installed_version)')" >&2
    exit 2
  fi
fi

# buf keeps its own cache (module dependencies; none here) next to ours.
export BUF_CACHE_DIR="${cache_dir}/.buf-cache"

cd "${proto_dir}"
if ! findings="$("${buf_bin}" lint --error-format=text 2>&1)"; then
  echo "buf lint found problems in proto/:" >&2
  echo "${findings}" >&2
  exit 1
fi
if [[ -n "${findings}" ]]; then
  # buf exited 0 but said something (e.g. a config warning): treat as a finding.
  echo "buf lint reported:" >&2
  echo "${findings}" >&2
  exit 1
fi
